"""The federal worked examples of labor-rules.md section A, named after their sources."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hub.rules.policy import TimesheetPolicy
from hub.rules.rounding import round_us
from tests.unit.rules.build import (
    CHICAGO,
    MON,
    at,
    brk,
    codes,
    drive,
    h,
    sheet,
    shift,
    visit,
    week_hours,
    weekday,
)


def _week(daily_hours: list[int], start: date = MON):
    events = []
    for offset, worked in enumerate(daily_hours):
        if worked:
            events += shift(weekday(offset, start), "06:00", f"{6 + worked:02d}:00")
    return events


def test_f1_778_104_each_workweek_stands_alone():
    # 30 hours in week 1 and 50 in week 2: no overtime in week 1, 10 hours in week 2.
    result = sheet(_week([6, 6, 6, 6, 6]) + _week([10, 10, 10, 10, 10], weekday(7)))
    assert week_hours(result, 0) == (30, 0, 0)
    assert week_hours(result, 1) == (40, 10, 0)


def test_f1_778_110_six_dollars_for_46_hours_is_294():
    result = sheet(_week([10, 10, 10, 8, 8]), wage="6")
    assert week_hours(result) == (40, 6, 0)
    assert result.weeks[0].cost == Decimal("294")


def test_f2_778_105_the_workweek_may_start_on_any_day():
    # Sunday work belongs to the week ending that Sunday, or beginning it.
    events = _week([8, 8, 8, 8, 8]) + shift(weekday(6), "06:00", "16:00")
    monday_weeks = sheet(events)
    assert [w.start for w in monday_weeks.weeks] == [MON]
    assert week_hours(monday_weeks) == (40, 10, 0)
    sunday_weeks = sheet(events, week_start_day=6)
    assert [w.start for w in sunday_weeks.weeks] == [weekday(-1), weekday(6)]
    assert week_hours(sunday_weeks, 0) == (40, 0, 0)
    assert week_hours(sunday_weeks, 1) == (10, 0, 0)


def test_f3_785_38_technician_back_at_the_premises_works_5_to_9_pm():
    # Leaves the premises at 5 pm, works at a client until 8, back at 9: 4 hours worked.
    events = (
        shift(MON, "17:00", "21:00")
        + [drive(MON, "17:00", "17:30", "depot", "site", "WO-1")]
        + visit(MON, "17:30", "20:00", "WO-1")
        + [drive(MON, "20:00", "21:00", "site", "depot", "WO-1")]
    )
    result = sheet(events)
    day = result.days[0]
    assert h(day.worked) == 4
    assert h(sum(day.drive.values())) == Decimal("1.5")
    assert h(day.on_site["WO-1"]) == Decimal("2.5")
    assert day.gaps == 0
    assert all(leg.work for leg in result.legs)


def test_f3_785_35_going_home_from_the_client_is_commute():
    events = (
        shift(MON, "17:00", "20:00")
        + [drive(MON, "17:00", "17:30", "depot", "site", "WO-1")]
        + visit(MON, "17:30", "20:00", "WO-1")
        + [drive(MON, "20:00", "21:00", "site", "home")]
    )
    result = sheet(events)
    assert h(result.days[0].worked) == 3
    home_leg = result.legs[-1]
    assert not home_leg.work and "785.35" in home_leg.reason
    assert "drive_off_clock" not in codes(result)


def test_f3_the_first_leg_from_home_is_commute_unless_the_policy_says_otherwise():
    leg = drive(MON, "06:30", "07:00", "home", "site", "WO-1")
    assert not sheet([leg]).legs[0].work
    assert sheet([leg], home_legs_are_work=True).legs[0].work


def test_f4_785_18_a_15_minute_rest_is_paid_and_785_19_a_30_minute_meal_is_not():
    events = shift(MON, "07:00", "16:00") + brk(MON, "09:00", "09:15") + brk(MON, "12:00", "12:30")
    day = sheet(events).days[0]
    assert h(day.paid_breaks) == Decimal("0.25")
    assert h(day.unpaid_meals) == Decimal("0.5")
    assert h(day.worked) == Decimal("8.5")


def test_f4_785_19_a_meal_shorter_than_30_minutes_is_paid():
    events = shift(MON, "07:00", "16:00") + brk(MON, "12:00", "12:20", kind="meal")
    day = sheet(events).days[0]
    assert day.unpaid_meals == 0 and h(day.worked) == 9


def test_f5_785_48_nearest_tenth_out_502_is_500_and_504_is_506():
    assert round_us(at(MON, "17:02"), 6, CHICAGO) == round_us(at(MON, "17:00"), 0, CHICAGO)
    assert round_us(at(MON, "17:04"), 6, CHICAGO) == round_us(at(MON, "17:06"), 0, CHICAGO)


def test_f5_nearest_10_minutes_755_to_804_all_become_800():
    eight = round_us(at(MON, "08:00"), 0, CHICAGO)
    for minute in ["07:55", "07:58", "08:00", "08:04"]:
        assert round_us(at(MON, minute), 10, CHICAGO) == eight


def test_f5_the_7_minute_midpoint_of_quarter_hours():
    assert round_us(at(MON, "08:08"), 15, CHICAGO) == round_us(at(MON, "08:15"), 0, CHICAGO)
    assert round_us(at(MON, "17:21"), 15, CHICAGO) == round_us(at(MON, "17:15"), 0, CHICAGO)


def test_f5_rounding_applies_to_the_timesheet_and_is_reported():
    from hub.rules.policy import RoundingPolicy

    result = sheet(shift(MON, "07:04", "15:58"), rounding=RoundingPolicy(15))
    assert h(result.days[0].worked) == 9  # 07:00 to 16:00
    report = result.rounding.summary()
    assert (report.punches_moved, report.days_in_employee_favour) == (2, 1)
    assert report.paid_change_us == 6 * 60 * 1_000_000


def test_f7_dol_dst_spring_forward_night_is_7_hours():
    # 11 pm to 7:30 am with a 30-minute lunch is 8 hours; 7 on the spring-forward night.
    night = date(2026, 3, 7)
    events = shift(night, "23:00", "07:30") + brk(weekday(1, night), "03:00", "03:30")
    assert h(sheet(events).worked) == 7


def test_f7_dol_dst_fall_back_night_is_9_hours():
    night = date(2026, 10, 31)
    events = shift(night, "23:00", "07:30") + brk(weekday(1, night), "03:00", "03:30")
    assert h(sheet(events).worked) == 9


def test_f7_an_ordinary_night_is_8_hours():
    night = date(2026, 3, 14)
    events = shift(night, "23:00", "07:30") + brk(weekday(1, night), "03:00", "03:30")
    assert h(sheet(events).worked) == 8


def test_f7_a_shift_crossing_midnight_is_split_at_the_workday_boundary():
    night = date(2026, 3, 14)
    days = sheet(shift(night, "22:00", "06:00")).days
    assert [(d.date, h(d.worked)) for d in days] == [(night, 2), (weekday(1, night), 6)]


def test_policy_defaults_match_the_cited_thresholds():
    policy = TimesheetPolicy()
    assert policy.breaks.paid_break_max_min == 20 and policy.breaks.meal_min_min == 30
    assert policy.auto_clock_out_after_h == 18 and policy.gap_threshold_min == 45
