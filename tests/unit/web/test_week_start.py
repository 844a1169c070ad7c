"""The workweek a day belongs to starts on the company's day."""

from __future__ import annotations

from datetime import date

import pytest

from hub.services.approvals import week_start
from hub.settings import PayrollSettings


@pytest.mark.parametrize("week_start_day, day, start", [
    ("monday", date(2026, 3, 4), date(2026, 3, 2)), ("monday", date(2026, 3, 2), date(2026, 3, 2)),
    ("sunday", date(2026, 3, 4), date(2026, 3, 1)), ("saturday", date(2026, 3, 6), date(2026, 2, 28)),
])
def test_the_workweek_starts_on_the_company_day(week_start_day, day, start):
    """29 CFR 778.105: a fixed and regularly recurring period of seven days."""
    assert week_start(day, PayrollSettings(week_start=week_start_day)) == start
