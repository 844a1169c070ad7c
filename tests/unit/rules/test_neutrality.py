"""The rounding neutrality report measures what rounding changed in paid time (29 CFR
785.48; issue 16): paid time with rounding minus paid time of the same punches unrounded."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hub.rules.policy import RoundingPolicy
from tests.unit.rules.build import LOS_ANGELES, MON, brk, h, sheet, shift
from tests.unit.rules.test_properties import POLICIES, SETTINGS, fortnights


def test_785_18_a_rounded_rest_is_paid_either_way_and_changes_nothing():
    """California: a rest 10:07-10:17 rounds to 10:00-10:15, yet rests are paid, so the
    technician lost no paid time (the old punch count called it 5 minutes lost)."""
    events = shift(MON, "07:00", "15:30", LOS_ANGELES) + brk(MON, "10:07", "10:17", "rest", LOS_ANGELES)
    events += brk(MON, "11:30", "12:00", "meal", LOS_ANGELES)
    report = sheet(events, "california", LOS_ANGELES, rounding=RoundingPolicy(15)).rounding.summary()
    assert (report.punches_moved, report.paid_change_us) == (2, 0)
    assert report.days_in_employee_favour == report.days_in_employer_favour == 0


def test_785_19_a_paid_23_minute_break_rounded_into_an_unpaid_30_minute_meal_counts():
    """FLSA: 11:02-11:25 is a paid 23-minute break (785.18; under 30, not a bona fide meal,
    785.19); rounded to 11:00-11:30 it becomes an unpaid meal: 30 paid minutes lost
    (the old punch count said 7)."""
    events = shift(MON, "07:00", "15:30") + brk(MON, "11:02", "11:25")
    result = sheet(events, rounding=RoundingPolicy(15))
    assert h(result.worked) == 8
    report = result.rounding.summary()
    assert (report.punches_moved, report.paid_change_us) == (2, -30 * 60 * 1_000_000)
    assert (report.days_in_employee_favour, report.days_in_employer_favour) == (0, 1)


def test_without_rounding_the_report_is_empty():
    assert sheet(shift(MON, "07:03", "15:31")).rounding.days == {}


@SETTINGS
@given(fortnights(), st.sampled_from(POLICIES), st.sampled_from([5, 6, 15]))
def test_issue_16_the_report_is_paid_time_with_rounding_minus_paid_time_without(events, policy, minutes):
    rounded = sheet(events, policy, rounding=RoundingPolicy(minutes))
    unrounded = sheet(events, policy)
    change = {d.date: d.worked for d in rounded.days}
    for day in unrounded.days:
        change[day.date] = change.get(day.date, 0) - day.worked
    assert {day: paid for day, (_, paid) in rounded.rounding.days.items() if paid} == \
        {day: paid for day, paid in change.items() if paid}
    assert rounded.rounding.summary().paid_change_us == rounded.worked - unrounded.worked
