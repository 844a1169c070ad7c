"""Where a week stands after its decisions, for each company setting of approval levels:
0 (the technician's submission closes it), 1 (supervisor), 2 (supervisor then payroll)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest

from hub.settings import PayrollSettings
from hub.web.approvals import state_of, week_start

WEEK = date(2026, 3, 2)


def decisions(*steps: str):
    """'submitted', 'supervisor approved', 'payroll rejected', ... in order."""
    rows = []
    for i, step in enumerate(steps):
        level, _, decision = step.rpartition(" ")
        rows.append(SimpleNamespace(level=level or "technician", decision=decision, reason="why",
                                    decided_at=datetime(2026, 3, 9, 9, i, tzinfo=timezone.utc)))
    return rows


@pytest.mark.parametrize("levels, steps, label, final, pending", [
    (0, [], "open", False, "technician"),
    (0, ["submitted"], "approved", True, None),
    (1, ["submitted"], "submitted", False, "supervisor"),
    (1, ["submitted", "supervisor approved"], "approved", True, None),
    (1, ["supervisor approved"], "approved", True, None),  # a supervisor may approve unsubmitted
    (1, ["submitted", "supervisor rejected"], "returned", False, "supervisor"),
    (1, ["submitted", "supervisor approved", "payroll voided"], "open", False, "supervisor"),
    (2, ["submitted", "supervisor approved"], "approved by supervisor; waiting for payroll", False, "payroll"),
    (2, ["submitted", "supervisor approved", "payroll approved"], "approved", True, None),
    (2, ["submitted", "supervisor approved", "payroll rejected", "submitted"], "submitted", False, "supervisor"),
])
def test_week_state(levels, steps, label, final, pending):
    state = state_of(decisions(*steps), PayrollSettings(approval_levels=levels))
    assert (state.label, state.final, state.pending) == (label, final, pending)


def test_the_last_rejection_says_why_the_week_came_back():
    state = state_of(decisions("submitted", "supervisor rejected"), PayrollSettings())
    assert state.rejection.reason == "why" and not state.submitted


@pytest.mark.parametrize("week_start_day, day, start", [
    ("monday", date(2026, 3, 4), date(2026, 3, 2)), ("monday", date(2026, 3, 2), date(2026, 3, 2)),
    ("sunday", date(2026, 3, 4), date(2026, 3, 1)), ("saturday", date(2026, 3, 6), date(2026, 2, 28)),
])
def test_the_workweek_starts_on_the_company_day(week_start_day, day, start):
    """29 CFR 778.105: a fixed and regularly recurring period of seven days."""
    assert week_start(day, PayrollSettings(week_start=week_start_day)) == start
