"""Paid holidays through the hub: the public holidays of the company's country and
subdivision, its own days from the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from hub.rules.sheets import hours
from hub.services import holidays
from hub.services.problems import Invalid
from hub.services.records import timesheets
from hub.settings import HolidaySettings, PayrollSettings
from tests.integration.records.test_records import MONDAY, _punch, _seed, at

GOOD_FRIDAY = date(2026, 4, 3)  # Ontario (CA-ON), 2026
ONTARIO = PayrollSettings(holidays=HolidaySettings(country="CA", subdivision="ON"))


def test_a_company_day_pays_holiday_hours_and_work_on_it_at_the_holiday_rate(session):
    _seed(session)  # T-100 works 07:00-16:00 on Monday 2 March 2026 at $30
    holidays.add_company_day(session, MONDAY, "Founders' Day")
    holidays.add_company_day(session, MONDAY + timedelta(days=2), "Company picnic")
    session.commit()
    (sheet,) = timesheets(session, PayrollSettings(), MONDAY, MONDAY + timedelta(days=6))
    (week,) = sheet.timesheet.weeks
    assert [(p.day, p.name, hours(p.paid)) for p in sheet.timesheet.holidays] == [
        (MONDAY, "Founders' Day", 8), (MONDAY + timedelta(days=2), "Company picnic", 8)]
    assert (hours(week.worked), hours(week.regular), hours(week.holiday_worked), hours(week.holiday)) == (9, 0, 9, 16)
    assert week.cost == Decimal(16 * 30) + Decimal(9 * 45)


def test_public_holidays_of_the_country_and_subdivision_and_a_technician_without_work(session):
    _seed(session)
    (sheet,) = timesheets(session, ONTARIO, GOOD_FRIDAY, GOOD_FRIDAY)
    assert [(p.day, p.name) for p in sheet.timesheet.holidays] == [(GOOD_FRIDAY, "Good Friday")]
    assert sheet.timesheet.days == []
    (period,) = [p for p in sheet.timesheet.periods if p.start <= GOOD_FRIDAY <= p.end]
    assert hours(period.holiday) == 8


def test_an_inactive_technician_is_not_paid_holidays(session):
    from hub.store.models import Technician

    _seed(session)
    session.get(Technician, "T-100").active = False
    holidays.add_company_day(session, MONDAY, "Founders' Day")
    session.commit()
    (sheet,) = timesheets(session, PayrollSettings(), MONDAY, MONDAY)
    assert sheet.timesheet.holidays == ()
    assert hours(sheet.timesheet.weeks[0].regular) == 9


def test_company_days_are_checked_and_removed(session):
    row = holidays.add_company_day(session, MONDAY, "  Founders'   Day ")
    assert row.name == "Founders' Day"
    with pytest.raises(Invalid, match="already a company holiday"):
        holidays.add_company_day(session, MONDAY, "Again")
    with pytest.raises(Invalid, match="name"):
        holidays.add_company_day(session, MONDAY + timedelta(days=1), "   ")
    with pytest.raises(Invalid, match="at most 120"):
        holidays.add_company_day(session, MONDAY + timedelta(days=1), "x" * 121)
    with pytest.raises(Invalid, match="date"):
        holidays.add_company_day(session, None, "No date")
    holidays.remove_company_day(session, row.id)
    session.commit()
    assert holidays.company_days(session) == []
    with pytest.raises(Invalid, match="no company holiday"):
        holidays.remove_company_day(session, row.id)


def test_a_late_punch_on_a_holiday_week_leaves_other_weeks_alone(session):
    _seed(session)
    later = MONDAY + timedelta(days=7)
    session.add_all([_punch("T-100", "clock_in", at(7, day=later)), _punch("T-100", "clock_out", at(15, day=later))])
    holidays.add_company_day(session, later, "Founders' Day")
    session.commit()
    (sheet,) = timesheets(session, PayrollSettings(), MONDAY, MONDAY + timedelta(days=13))
    first, second = sheet.timesheet.weeks
    assert (hours(first.regular), hours(first.holiday)) == (9, 0)
    assert (hours(second.regular), hours(second.holiday_worked), hours(second.holiday)) == (0, 8, 8)
