"""Paid holidays (rules/holidays.py): holiday hours to eligible technicians, paid and not
worked; regular hours worked on a holiday at the holiday rate."""

from __future__ import annotations

from decimal import Decimal

from hub.rules.holidays import Holiday, HolidayPolicy, eligible, paid_holidays
from hub.rules.instants import HOUR_US
from hub.rules.policy import PRESETS, PayPeriodKind, PayPeriodPolicy, TimesheetPolicy
from hub.rules.timesheet import TechnicianProfile, compute_timesheets, empty_timesheet
from tests.unit.rules.build import CHICAGO, MON, h, shift, weekday

LABOR_DAY = Holiday(MON, "Labor Day")


def _sheet(events, holidays=(LABOR_DAY,), policy="flsa", wage="20", paid=True, **settings):
    timesheet_policy = TimesheetPolicy(overtime=PRESETS[policy], holidays=HolidayPolicy(tuple(holidays)),
                                       **settings)
    profile = TechnicianProfile("T-1", Decimal(wage), CHICAGO, timesheet_policy, paid)
    (result,) = compute_timesheets(events, default=profile)
    return result


def _week(daily_hours, start=MON):
    events = []
    for offset, worked in enumerate(daily_hours):
        if worked:
            events += shift(weekday(offset, start), "06:00", f"{6 + worked:02d}:00")
    return events


def test_holiday_hours_are_paid_not_worked_and_count_toward_no_overtime():
    # 29 CFR 778.218: Labor Day off with 8 holiday hours, then four 10-hour days: 40 worked, no overtime
    result = _sheet(_week([0, 10, 10, 10, 10]))
    (week,) = result.weeks
    assert (h(week.worked), h(week.regular), h(week.overtime), h(week.holiday)) == (40, 40, 0, 8)
    assert week.cost == Decimal(40 * 20 + 8 * 20)
    assert [(p.day, p.name, h(p.paid)) for p in result.holidays] == [(MON, "Labor Day", 8)]


def test_regular_hours_worked_on_a_holiday_are_paid_at_the_holiday_rate():
    result = _sheet(_week([8]))
    (week,) = result.weeks
    assert (h(week.regular), h(week.holiday_worked), h(week.holiday)) == (0, 8, 8)
    assert week.cost == Decimal(8 * 20 + 8 * 30)  # holiday pay, and 8 hours at 1.5 x 20


def test_overtime_on_a_holiday_stays_overtime():
    result = _sheet(_week([10]), policy="california")
    (day,) = result.days
    assert (h(day.regular), h(day.holiday_worked), h(day.overtime)) == (0, 8, 2)


def test_hours_worked_on_a_holiday_count_toward_the_weekly_40():
    # 8 on Labor Day and 10 on each of four days: 48 worked, 8 overtime, 32 regular
    (week,) = _sheet(_week([8, 10, 10, 10, 10])).weeks
    assert (h(week.regular), h(week.holiday_worked), h(week.overtime), h(week.holiday)) == (32, 8, 8, 8)


def test_a_technician_who_is_not_eligible_gets_no_holiday_hours_and_regular_pay():
    result = _sheet(_week([8]), paid=False)
    (week,) = result.weeks
    assert (h(week.regular), h(week.holiday_worked), h(week.holiday)) == (8, 0, 0)
    assert result.holidays == ()


def test_eligible_means_tracking_time_and_active():
    assert eligible(True, True)
    assert not eligible(True, False)
    assert not eligible(False, True)


def test_a_day_listed_twice_is_paid_once_and_the_hours_per_holiday_are_a_setting():
    twice = HolidayPolicy((LABOR_DAY, Holiday(MON, "Company day"), Holiday(weekday(1), "Day after")),
                          hours=Decimal("7.5"))
    assert [(p.day, p.name, p.paid) for p in paid_holidays(twice, True)] == [
        (MON, "Labor Day", int(7.5 * HOUR_US)), (weekday(1), "Day after", int(7.5 * HOUR_US))]


def test_a_holiday_in_a_week_without_work_makes_its_week_and_pay_period():
    result = _sheet(_week([8]), holidays=[Holiday(weekday(14), "Company day")],
                    pay_period=PayPeriodPolicy(PayPeriodKind.WEEKLY, MON))
    assert [(w.start, h(w.worked), h(w.holiday)) for w in result.weeks] == [
        (MON, 8, 0), (weekday(14), 0, 8)]
    assert [(p.start, h(p.regular), h(p.holiday)) for p in result.periods] == [
        (MON, 8, 0), (weekday(14), 0, 8)]


def test_a_technician_without_events_is_still_paid_the_holiday():
    policy = TimesheetPolicy(holidays=HolidayPolicy((LABOR_DAY,)))
    result = empty_timesheet(TechnicianProfile("T-9", Decimal("25"), CHICAGO, policy))
    assert result.days == [] and result.worked == 0
    assert [(w.start, h(w.holiday)) for w in result.weeks] == [(MON, 8)]
    assert result.cost == Decimal(200)


def test_holiday_rate_is_a_setting():
    policy = TimesheetPolicy(holidays=HolidayPolicy((LABOR_DAY,), worked_rate=Decimal(2), hours=Decimal(0)))
    (result,) = compute_timesheets(_week([8]), default=TechnicianProfile("T-1", Decimal(10), CHICAGO, policy))
    assert [(p.day, p.paid) for p in result.holidays] == [(MON, 0)]
    assert result.weeks[0].cost == Decimal(160)


def test_no_calendar_no_change():
    assert _sheet(_week([8, 8]), holidays=()).weeks[0].holiday_worked == 0
