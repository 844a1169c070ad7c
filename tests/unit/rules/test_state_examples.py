"""California and the other presets (labor-rules.md sections B, C, D), named after sources."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hub.rules.california import rest_periods_due
from hub.rules.instants import HOUR_US
from hub.rules.policy import (
    PayPeriodKind,
    PayPeriodPolicy,
    PolicyError,
    RoundingPolicy,
    overtime_policy_from_toml,
)
from tests.unit.rules.build import (
    LOS_ANGELES,
    MON,
    brk,
    codes,
    h,
    sheet,
    shift,
    week_hours,
    weekday,
)


def _days(daily_hours: list[float], start: date = MON, tz=LOS_ANGELES, begin="06:00"):
    events = []
    for offset, worked in enumerate(daily_hours):
        if worked:
            hh, mm = 6 + int(worked), int(round((worked % 1) * 60))
            events += shift(weekday(offset, start), begin, f"{hh:02d}:{mm:02d}", tz)
    return events


def _ca(events, **settings):
    return sheet(events, "california", LOS_ANGELES, **settings)


def _ca_codes(result) -> list[str]:
    return [code for code in codes(result) if code.startswith("ca_")]


def test_c1_lab_code_510_mon10_tue8_wed13_thu8_fri8_is_40_6_1():
    result = _ca(_days([10, 8, 13, 8, 8]))
    assert week_hours(result) == (40, 6, 1)


def test_c1_hours_already_paid_as_daily_overtime_do_not_count_again_toward_40():
    # 5 x 10 h: 10 daily OT hours, 40 regular; the weekly rule adds nothing.
    assert week_hours(_ca(_days([10, 10, 10, 10, 10]))) == (40, 10, 0)
    # 6 x 8 h: no daily OT; the sixth day is over 40 in the week.
    assert week_hours(_ca(_days([8, 8, 8, 8, 8, 8]))) == (40, 8, 0)


def test_c1_seventh_consecutive_day_first_8_at_1_5_beyond_at_2():
    result = _ca(_days([8, 8, 8, 8, 8, 4, 10]))
    day7 = result.days[6]
    assert (h(day7.regular), h(day7.overtime), h(day7.double_time)) == (0, 8, 2)
    assert week_hours(result) == (40, 12, 2)


def test_c1_six_days_is_not_a_seventh_day():
    assert week_hours(_ca(_days([0, 8, 8, 8, 8, 8, 8]))) == (40, 8, 0)


def test_c1_employersgroup_18_to_06_is_6_plus_6_and_no_overtime():
    result = _ca(shift(MON, "18:00", "06:00", LOS_ANGELES))
    assert [h(d.worked) for d in result.days] == [6, 6]
    assert week_hours(result) == (12, 0, 0)


def test_c1_reprisal_two_16_to_08_shifts_put_16_hours_in_the_middle_day():
    events = shift(MON, "16:00", "08:00", LOS_ANGELES) + shift(weekday(1), "16:00", "08:00", LOS_ANGELES)
    middle = _ca(events).days[1]
    assert h(middle.worked) == 16
    assert (h(middle.regular), h(middle.overtime), h(middle.double_time)) == (8, 4, 4)


def test_c4_donohue_meal_punches_1102_1125_stay_a_23_minute_meal_flagged_short():
    events = shift(MON, "07:00", "15:30", LOS_ANGELES) + brk(MON, "11:02", "11:25", "meal", LOS_ANGELES)
    result = _ca(events, rounding=RoundingPolicy(15))
    meals = [s for s in result.days[0].segments if s.category.value == "paid_break"]
    assert h(meals[0].length) * 60 == 23
    assert "ca_meal_short" in codes(result)


def test_c4_outside_california_meal_punches_are_rounded_too():
    events = shift(MON, "07:00", "15:30") + brk(MON, "11:02", "11:25", "meal")
    result = sheet(events, rounding=RoundingPolicy(15))
    meal = [s for s in result.days[0].segments if s.category.value == "unpaid_meal"][0]
    assert h(meal.length) == Decimal("0.5")  # 11:00 to 11:30


def test_c2_512_no_meal_in_a_7_hour_day_costs_one_hour():
    rests = brk(MON, "09:00", "09:10", tz=LOS_ANGELES) + brk(MON, "12:00", "12:10", tz=LOS_ANGELES)
    result = _ca(shift(MON, "07:00", "14:00", LOS_ANGELES) + rests, wage="20")
    assert _ca_codes(result) == ["ca_meal_missing"]
    assert result.days[0].premium_hours == 1
    assert result.weeks[0].cost == Decimal(7 * 20 + 20)


def test_c2_512_a_6_hour_day_may_waive_its_meal():
    result = _ca(shift(MON, "07:00", "13:00", LOS_ANGELES) + brk(MON, "09:00", "09:10", tz=LOS_ANGELES))
    assert _ca_codes(result) == []


def test_c2_512_the_meal_starts_by_the_end_of_hour_5():
    late = _ca(shift(MON, "07:00", "16:00", LOS_ANGELES) + brk(MON, "12:30", "13:00", "meal", LOS_ANGELES))
    assert "ca_meal_late" in codes(late)
    on_time = _ca(shift(MON, "07:00", "16:00", LOS_ANGELES) + brk(MON, "11:30", "12:00", "meal", LOS_ANGELES))
    assert "ca_meal_late" not in codes(on_time)


def test_c2_512_a_13_hour_day_needs_a_second_meal():
    events = shift(MON, "06:00", "19:30", LOS_ANGELES) + brk(MON, "10:00", "10:30", "meal", LOS_ANGELES)
    assert "ca_second_meal_missing" in codes(_ca(events))


@pytest.mark.parametrize(
    "worked, due", [(3.4, 0), (3.5, 1), (6, 1), (6.5, 2), (10, 2), (10.5, 3), (14, 3), (14.5, 4)]
)
def test_c3_wage_order_12_ten_minutes_per_4_hours_or_major_fraction(worked, due):
    assert rest_periods_due(int(worked * HOUR_US)) == due


def test_c3_a_missing_rest_period_costs_one_hour_once_a_day():
    events = shift(MON, "07:00", "15:30", LOS_ANGELES) + brk(MON, "11:00", "11:30", "meal", LOS_ANGELES)
    result = _ca(events)
    assert _ca_codes(result) == ["ca_rest_short"]
    assert result.days[0].premium_hours == 1


def test_alaska_over_8_a_day_or_40_a_week():
    assert week_hours(sheet(_days([10, 8, 8, 8]), "alaska")) == (32, 2, 0)


def test_colorado_over_12_a_day():
    assert week_hours(sheet(_days([14]), "colorado")) == (12, 2, 0)


def test_colorado_over_12_consecutive_hours_across_midnight():
    # 18:00 to 08:00: 6 + 8 hours by workday, but 14 consecutive: 2 hours overtime.
    result = sheet(shift(MON, "18:00", "08:00"), "colorado")
    assert week_hours(result) == (12, 2, 0)


def test_none_pays_everything_straight():
    assert week_hours(sheet(_days([16, 16, 16]), "none")) == (48, 0, 0)


def test_custom_policy_from_toml():
    policy = overtime_policy_from_toml(
        '[overtime]\nname = "union"\ndaily_ot_after = 9\nweekly_ot_after = 38\not_multiplier = 1.75\n'
    )
    result = sheet(_days([10, 9, 9, 9, 3]), policy, wage="10")
    assert week_hours(result) == (38, 2, 0)
    assert result.weeks[0].cost == Decimal(38 * 10) + Decimal(2) * Decimal("17.5")


@pytest.mark.parametrize(
    "text, problem",
    [("daily_ot_after = -1", "negative"), ("weekly = 40", "unknown"), ("seventh_day = 1", "true or false"),
     ("daily_ot_after = ", "TOML")],
)
def test_a_bad_custom_policy_says_what_is_wrong(text, problem):
    with pytest.raises(PolicyError, match=problem):
        overtime_policy_from_toml(text)


def test_p1_778_106_overtime_goes_to_the_period_where_the_workweek_ends():
    # Semi-monthly; the week Mon 15 June to Sun 21 June 2026 straddles the 15th.
    june15 = date(2026, 6, 15)
    result = sheet(_days([10, 10, 10, 10, 10], june15),
                   pay_period=PayPeriodPolicy(PayPeriodKind.SEMIMONTHLY))
    first, second = result.periods
    assert (first.start, first.end) == (date(2026, 6, 1), date(2026, 6, 15))
    assert (h(first.regular), h(first.overtime)) == (10, 0)
    assert (second.start, second.end) == (date(2026, 6, 16), date(2026, 6, 30))
    assert (h(second.regular), h(second.overtime)) == (30, 10)


@pytest.mark.parametrize(
    "kind, day, expected",
    [
        (PayPeriodKind.WEEKLY, date(2026, 3, 4), (date(2026, 3, 2), date(2026, 3, 8))),
        (PayPeriodKind.BIWEEKLY, date(2026, 3, 4), (date(2026, 3, 2), date(2026, 3, 15))),
        (PayPeriodKind.BIWEEKLY, date(2026, 3, 16), (date(2026, 3, 16), date(2026, 3, 29))),
        (PayPeriodKind.SEMIMONTHLY, date(2026, 2, 20), (date(2026, 2, 16), date(2026, 2, 28))),
        (PayPeriodKind.MONTHLY, date(2024, 2, 29), (date(2024, 2, 1), date(2024, 2, 29))),
    ],
)
def test_pay_periods_are_anchored(kind, day, expected):
    from hub.rules.pay_period import pay_period

    assert pay_period(day, PayPeriodPolicy(kind, anchor=date(2026, 1, 5))) == expected


def _rests(day, *starts):
    return [e for start in starts for e in brk(day, start, start[:3] + str(int(start[3:]) + 10), tz=LOS_ANGELES)]


def test_issue_16_c2_512_a_30_minute_lunch_by_clocking_out_and_in_is_a_meal_period():
    """Lab. Code 512(a); Brinker (2012): a duty-free 30 minutes off the clock is the meal."""
    events = shift(MON, "07:00", "11:30", LOS_ANGELES) + shift(MON, "12:00", "15:30", LOS_ANGELES)
    result = _ca(events + _rests(MON, "09:00", "14:00"), wage="20")
    assert _ca_codes(result) == []
    assert h(result.worked) == 8
    assert result.days[0].premium_hours == 0


def test_issue_16_c2_512_a_12_hour_night_shift_without_a_meal_is_one_work_period():
    """18:00-06:00 with no meal is one 12-hour work period across midnight (Lab. Code
    512(a), wage orders 11/12 §11-12): a missed meal and missed rests, one premium hour
    each (Lab. Code 226.7), on the workday the period began."""
    result = _ca(shift(MON, "18:00", "06:00", LOS_ANGELES), wage="20")
    assert _ca_codes(result) == ["ca_meal_missing", "ca_rest_short"]
    assert [d.premium_hours for d in result.days] == [2, 0]
    assert result.weeks[0].cost == Decimal(12 * 20 + 2 * 20)


def test_issue_16_c2_512_a_night_shift_with_its_rests_misses_only_the_meal():
    events = shift(MON, "18:00", "06:00", LOS_ANGELES) + _rests(MON, "20:00", "23:00")
    events += _rests(weekday(1), "03:00")
    result = _ca(events)
    assert _ca_codes(result) == ["ca_meal_missing"]
    assert [d.premium_hours for d in result.days] == [1, 0]


def test_issue_16_c2_512_a_first_meal_6_5_hours_into_a_night_shift_is_late():
    """The first meal is due before the end of the 5th hour of the work period, however
    the workday boundary falls (Lab. Code 512(a); Brinker)."""
    events = shift(MON, "22:00", "07:00", LOS_ANGELES) + brk(weekday(1), "04:30", "05:00", "meal", LOS_ANGELES)
    events += _rests(MON, "23:30") + _rests(weekday(1), "02:00")
    result = _ca(events)
    assert _ca_codes(result) == ["ca_meal_late"]
    assert "6.50 hours" in next(e.message for e in result.exceptions if e.code.value == "ca_meal_late")
    assert [d.premium_hours for d in result.days] == [1, 0]
    on_time = shift(MON, "22:00", "07:00", LOS_ANGELES) + brk(weekday(1), "02:30", "03:00", "meal", LOS_ANGELES)
    assert "ca_meal_late" not in codes(_ca(on_time + _rests(MON, "23:30") + _rests(weekday(1), "05:00")))


def test_issue_16_c2_226_7_at_most_one_meal_and_one_rest_premium_a_workday():
    """Two work periods in a day (a 2.5-hour gap ends the first), each over 6 hours with
    no meal and no rest: still one meal hour and one rest hour (Lab. Code 226.7)."""
    events = shift(MON, "05:00", "11:30", LOS_ANGELES) + shift(MON, "14:00", "20:30", LOS_ANGELES)
    result = _ca(events)
    assert _ca_codes(result) == ["ca_meal_missing", "ca_rest_short", "ca_meal_missing", "ca_rest_short"]
    assert result.days[0].premium_hours == 2


def test_issue_16_c4_donohue_a_meal_taken_off_the_clock_is_not_rounded():
    """11:58 out, 12:25 in: a 27-minute meal stays 27 minutes and short, never 12:00-12:30."""
    events = shift(MON, "07:00", "11:58", LOS_ANGELES) + shift(MON, "12:25", "15:30", LOS_ANGELES)
    result = _ca(events + _rests(MON, "09:00", "14:00"), rounding=RoundingPolicy(15))
    assert _ca_codes(result) == ["ca_meal_short"]
    assert h(result.worked) * 60 == 4 * 60 + 58 + 3 * 60 + 5  # 07:00-11:58 and 12:25-15:30, unrounded
