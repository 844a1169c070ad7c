"""Hours-only entries: worked time on a day with no time of day (docs/events.md), counted
toward daily and weekly overtime like clocked time."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.export.period_hours import PayCode, day_pieces
from hub.rules.hours_entries import HoursEntry, HoursEntryError, check_reason, day_problem, minutes_of
from hub.rules.instants import HOUR_US, MINUTE_US, to_us
from hub.rules.policy import PRESETS, TimesheetPolicy
from hub.rules.segments import Category
from hub.rules.timesheet import TechnicianProfile, compute_timesheets
from tests.unit.rules.build import CHICAGO, LOS_ANGELES, MON, at, h, shift, week_hours, weekday
from tests.unit.rules.test_properties import POLICIES, SETTINGS, fortnights


def entry(day: date, minutes: int, target: str = "non-billable:training", id_: str = "h1") -> HoursEntry:
    return HoursEntry(id_, "T-1", day, minutes, target)


def sheet(events, entries, policy="flsa", tz=CHICAGO, **settings):
    profile = TechnicianProfile("T-1", Decimal(20), tz, TimesheetPolicy(overtime=PRESETS[policy], **settings))
    (result,) = compute_timesheets(events, default=profile, entries=entries)
    return result


@pytest.mark.parametrize(("typed", "minutes"), [
    ("2", 120), ("1.5", 90), ("1,25", 75), ("1:30", 90), ("0:45", 45), ("2h", 120), (" 24 ", 1440), ("0.25", 15),
])
def test_a_duration_is_read_as_exact_minutes(typed, minutes):
    assert minutes_of(typed) == minutes


@pytest.mark.parametrize("typed", ["", "abc", "0", "0:00", "-1", "25", "24:01", "1.333", "nan", "inf", "1e400",
                                   "9" * 5000, "1:75"])
def test_a_duration_that_is_not_one_is_refused_naming_the_field(typed):
    with pytest.raises(HoursEntryError) as caught:
        minutes_of(typed)
    assert caught.value.field == "duration"


def test_a_day_holds_at_most_24_hours_clocked_and_entered_together():
    assert day_problem(120, 20 * HOUR_US, 120) is None  # 20 + 2 + 2 = 24
    assert "at most 2:00 more" in (day_problem(121, 20 * HOUR_US, 120) or "")
    assert day_problem(1, 24 * HOUR_US, 0) is not None


def test_a_reason_is_required_and_bounded():
    assert check_reason("  training on the new van  ") == "training on the new van"
    for bad in ("", "   ", None, "x" * 10_000):
        with pytest.raises(HoursEntryError) as caught:
            check_reason(bad)
        assert caught.value.field == "reason"


def test_an_entry_is_one_minute_to_a_day():
    with pytest.raises(HoursEntryError):
        entry(MON, 0)
    with pytest.raises(HoursEntryError):
        entry(MON, 24 * 60 + 1)


def test_two_hours_of_training_on_a_day_with_no_punches_are_worked_time():
    result = sheet([], [entry(weekday(1), 120)])
    (day,) = result.days
    assert day.date == weekday(1) and h(day.worked) == 2 and h(day.entered) == 2
    assert day.first_in_us == day.last_out_us == to_us(at(weekday(1), "00:00"))  # no time of day
    assert week_hours(result) == (2, 0, 0)


def test_flsa_778_104_entered_hours_count_toward_the_40():
    # four 10-hour days, then 2 h of training on Friday: 42 hours worked, 2 over 40
    events = [p for offset in range(4) for p in shift(weekday(offset), "06:00", "16:00")]
    result = sheet(events, [entry(weekday(4), 120)])
    assert week_hours(result) == (40, 2, 0)
    assert result.weeks[0].cost == Decimal(20) * 40 + Decimal(30) * 2


def test_california_daily_overtime_counts_the_day_entered_hours_fall_on():
    # Lab. Code 510: 8 h clocked plus 1.5 h on a work order the same day: 1.5 h daily overtime
    result = sheet(shift(MON, "07:00", "15:00"), [entry(MON, 90, "WO-12")], policy="california", tz=LOS_ANGELES)
    (day,) = result.days
    assert (h(day.regular), h(day.overtime)) == (8, Decimal("1.5"))
    assert h(day.clocked) == 8 and h(day.worked) == Decimal("9.5")


def test_on_the_day_clocks_spring_forward_an_entry_is_its_minutes_on_that_date():
    # 2026-03-08, America/Los_Angeles: a 23-hour day. 00:00 to 15:00 on the wall clock is 14 h
    # on the clock; 3 h entered make 17 h worked on the 8th: 8 regular, 4 overtime, 5 double time
    dst = date(2026, 3, 8)
    result = sheet(shift(dst, "00:00", "15:00", tz=LOS_ANGELES), [entry(dst, 180)], policy="california",
                   tz=LOS_ANGELES)
    day = next(d for d in result.days if d.date == dst)
    assert h(day.clocked) == 14 and h(day.worked) == 17
    assert (h(day.regular), h(day.overtime), h(day.double_time)) == (8, 4, 5)
    only = sheet([], [entry(dst, 180)], tz=LOS_ANGELES)
    assert [d.date for d in only.days] == [dst]


def test_an_entry_to_a_billable_target_is_billable():
    policy = {"billable_work_orders": frozenset({"WO-12"})}
    result = sheet([], [entry(MON, 60, "WO-12", "h1"), entry(MON, 30, "non-billable:shop", "h2")], **policy)
    assert h(result.billable) == 1 and h(result.worked) == Decimal("1.5")


def test_export_pieces_of_a_day_add_up_to_its_pay_codes_with_entries_last():
    result = sheet(shift(MON, "07:00", "15:00"), [entry(MON, 90, "WO-12")], policy="california", tz=LOS_ANGELES)
    pieces = day_pieces(result.days[0])
    assert sum(p.length for p in pieces) == result.days[0].worked
    last = pieces[-1]
    assert (last.category, last.work_order, last.code, h(last.length)) == (
        Category.HOURS_ONLY, "WO-12", PayCode.OVERTIME, Decimal("1.5"))


def test_repeated_entries_count_once():
    result = sheet([], [entry(MON, 60), entry(MON, 60)])
    assert h(result.worked) == 1


@SETTINGS
@given(fortnights(), st.sampled_from(POLICIES),
       st.lists(st.tuples(st.integers(0, 11), st.integers(1, 8 * 60)), min_size=1, max_size=5))
def test_entries_add_their_minutes_and_every_day_still_adds_up(events, policy, entered):
    entries = [entry(date(2026, 3, 1) + timedelta(days=offset), minutes, id_=f"h{i}")
               for i, (offset, minutes) in enumerate(entered)]
    before, after = sheet(events, [], policy), sheet(events, entries, policy)
    assert after.worked == before.worked + sum(minutes for _, minutes in entered) * MINUTE_US
    assert after.cost >= before.cost
    for day in after.days:
        assert day.regular + day.overtime + day.double_time == day.worked
        assert sum(p.length for p in day_pieces(day)) == day.worked
