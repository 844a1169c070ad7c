"""The Canadian presets and Nevada (labor-rules.md C and C2), each with the worked examples
of its guidance, named after their sources."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hub.rules.policy import PolicyError, overtime_policy_from_toml
from tests.unit.rules.build import MON, h, sheet, shift, week_hours, weekday

SUN = weekday(-1)  # Alberta's and Ontario's default work week starts on Sunday


def _days(daily_hours: list[float], start: date = MON, begin: str = "06:00"):
    events = []
    for offset, worked in enumerate(daily_hours):
        if worked:
            hh, mm = 6 + int(worked), round((worked % 1) * 60)
            events += shift(weekday(offset, start), begin, f"{hh:02d}:{mm:02d}")
    return events


def _ot(policy: str, daily_hours: list[float], **settings) -> tuple[Decimal, Decimal, Decimal]:
    return week_hours(sheet(_days(daily_hours), policy, **settings))


# Canada Labour Code Part III s.169(1) and 174: standard hours 8 a day and 40 a week,
# overtime the greater of the daily and the weekly excess, never their sum.
def test_clc_169_four_10_hour_days_daily_excess_8_is_greater_than_weekly_0():
    assert _ot("canada-federal", [10, 10, 10, 10]) == (32, 8, 0)


def test_clc_169_six_8_hour_days_weekly_excess_8_is_greater_than_daily_0():
    assert _ot("canada-federal", [8, 8, 8, 8, 8, 8]) == (40, 8, 0)


def test_clc_169_five_10_hour_days_daily_10_and_weekly_10_pay_10_not_20():
    assert _ot("canada-federal", [10, 10, 10, 10, 10]) == (40, 10, 0)


def test_clc_169_six_9_hour_days_weekly_excess_14_is_greater_than_daily_6():
    assert _ot("canada-federal", [9, 9, 9, 9, 9, 9]) == (40, 14, 0)


# Ontario ESA 2000 s.22(1): over 44 hours in a work week; no daily overtime.
def test_ontario_esa_22_fifty_hours_is_6_overtime():
    assert _ot("ontario", [10, 10, 10, 10, 10]) == (44, 6, 0)


def test_ontario_esa_22_four_11_hour_days_are_44_hours_and_no_overtime():
    assert _ot("ontario", [11, 11, 11, 11]) == (44, 0, 0)


# Quebec Act respecting labour standards s.52 and 55: over 40 hours a week; no daily overtime.
def test_quebec_als_52_45_hours_is_5_overtime():
    assert _ot("quebec", [9, 9, 9, 9, 9]) == (40, 5, 0)


def test_quebec_als_52_four_10_hour_days_are_no_overtime():
    assert _ot("quebec", [10, 10, 10, 10]) == (40, 0, 0)


# Alberta Employment Standards Code s.21-22: over 8 a day or 44 a week, whichever is greater.
# The two 8/44 examples (Sunday-to-Saturday work weeks) as tjworkplacelaw.com states them.
def test_alberta_esc_21_six_8_hour_days_are_48_hours_and_4_overtime():
    result = sheet(_days([0, 8, 8, 8, 8, 8, 8], SUN), "alberta", week_start_day=6)
    assert week_hours(result) == (44, 4, 0)


def test_alberta_esc_21_an_11_hour_friday_in_a_23_hour_week_is_3_overtime():
    result = sheet(_days([0, 5, 7, 0, 0, 11, 0], SUN), "alberta", week_start_day=6)
    assert week_hours(result) == (20, 3, 0)


def test_alberta_esc_21_five_10_hour_days_daily_10_is_greater_than_weekly_6():
    assert _ot("alberta", [10, 10, 10, 10, 10]) == (40, 10, 0)


# British Columbia ESA s.40: 1.5x over 8 a day, 2x over 12 a day; 1.5x over 40 hours a
# week counting only the hours not already paid as daily overtime.
def test_bc_esa_40_a_13_hour_day_is_8_regular_4_at_1_5_and_1_at_2():
    assert _ot("british-columbia", [13]) == (8, 4, 1)


def test_bc_esa_40_five_9_hour_days_are_5_daily_overtime_and_no_weekly():
    assert _ot("british-columbia", [9, 9, 9, 9, 9]) == (40, 5, 0)


def test_bc_esa_40_six_8_hour_days_are_8_weekly_overtime():
    assert _ot("british-columbia", [8, 8, 8, 8, 8, 8]) == (40, 8, 0)


def test_bc_esa_40_daily_overtime_does_not_count_toward_the_weekly_40():
    assert _ot("british-columbia", [12, 12, 8, 8, 8]) == (40, 8, 0)


# Nevada NRS 608.018 and 608.0126: over 8 hours in a workday, the 24 hours from when work
# begins, for a wage below 1.5x the state minimum ($18.00 from July 2024); over 40 a week.
def _ascentis_week():
    """Ascentis, "Nevada's 24 Hour Overtime Rule": 8 hours a day, starting earlier each day."""
    return (shift(MON, "08:00", "16:00") + shift(weekday(1), "07:30", "15:30")
            + shift(weekday(2), "07:00", "15:00") + shift(weekday(3), "08:00", "16:00")
            + shift(weekday(4), "08:00", "16:00"))


def test_nrs_608_0126_ascentis_an_earlier_start_is_overtime_of_the_previous_workday():
    result = sheet(_ascentis_week(), "nevada", wage="15.00")
    days = {d.date: (h(d.regular), h(d.overtime)) for d in result.days}
    assert days[weekday(1)] == (Decimal("7.5"), Decimal("0.5"))
    assert days[weekday(2)] == (Decimal("7.5"), Decimal("0.5"))
    assert days[weekday(3)] == (8, 0)
    assert week_hours(result) == (39, 1, 0)


def test_nrs_608_018_2_b_from_1_5x_the_minimum_wage_only_weekly_overtime():
    assert week_hours(sheet(_ascentis_week(), "nevada", wage="18.00")) == (40, 0, 0)
    assert _ot("nevada", [10, 10, 10, 10], wage="20") == (40, 0, 0)
    assert _ot("nevada", [10, 10, 10, 10], wage="17.99") == (32, 8, 0)


def test_nrs_608_0126_a_night_shift_is_one_workday_not_two_calendar_days():
    # 20:00-06:00 is 4 + 6 hours by the calendar, but 10 hours of one workday
    result = sheet(shift(MON, "20:00", "06:00"), "nevada", wage="15")
    assert week_hours(result) == (8, 2, 0)


def test_nrs_608_0126_two_shifts_in_24_hours_are_one_workday():
    result = sheet(shift(MON, "06:00", "12:00") + shift(MON, "18:00", "22:00"), "nevada", wage="15")
    assert week_hours(result) == (8, 2, 0)


def test_nrs_608_0126_hours_count_in_one_workday_only():
    # Mon 08:00-20:00 then Tue 08:00-12:00: the second workday opens at Tue 08:00
    result = sheet(shift(MON, "08:00", "20:00") + shift(weekday(1), "08:00", "12:00"), "nevada", wage="15")
    assert week_hours(result) == (12, 4, 0)


def test_a_custom_policy_counting_from_the_start_of_work_takes_no_daily_double_time():
    with pytest.raises(PolicyError, match="daily_dt_after"):
        overtime_policy_from_toml("daily_ot_after = 8\ndaily_dt_after = 12\ndaily_from_start_of_work = true")


def test_counting_from_the_start_of_work_without_a_daily_threshold_is_weekly_only():
    policy = overtime_policy_from_toml("weekly_ot_after = 40\ndaily_from_start_of_work = true")
    assert week_hours(sheet(shift(MON, "06:00", "18:00"), policy)) == (12, 0, 0)
