"""Properties that hold for any technician's fortnight, checked with hypothesis."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.rules.events import BreakKind, DriveLeg, Place, Punch, PunchAction, WorkOrderCheck
from hub.rules.instants import to_us
from hub.rules.policy import PolicyError, RoundingPolicy
from hub.rules.rounding import round_punches
from hub.services.timesheet_document import timesheet_document
from tests.unit.rules.build import CHICAGO, sheet

START = datetime(2026, 3, 2, 5, 0, tzinfo=timezone.utc)
POLICIES = ["flsa", "california", "alaska", "colorado", "none"]


@st.composite
def fortnights(draw):
    """Up to ten days of a technician's events, with their untidiness: breaks, drives and
    visits anywhere, forgotten punches, overlapping visits."""
    events = []
    serial = iter(range(10_000))

    def eid(prefix):
        return f"{prefix}{next(serial)}"

    for day in range(draw(st.integers(1, 10))):
        base = START + timedelta(days=day, minutes=draw(st.integers(0, 600)))
        length = draw(st.integers(30, 16 * 60))
        end = base + timedelta(minutes=length)
        if draw(st.booleans()) or day == 0:
            events.append(Punch(eid("i"), "T-1", PunchAction.CLOCK_IN, base))
        if draw(st.integers(0, 9)):
            events.append(Punch(eid("o"), "T-1", PunchAction.CLOCK_OUT, end))
        for _ in range(draw(st.integers(0, 3))):
            b0 = base + timedelta(minutes=draw(st.integers(0, length)))
            kind = draw(st.sampled_from([None, BreakKind.MEAL, BreakKind.REST]))
            events.append(Punch(eid("b"), "T-1", PunchAction.BREAK_START, b0, kind))
            events.append(Punch(eid("e"), "T-1", PunchAction.BREAK_END, b0 + timedelta(minutes=draw(st.integers(1, 60)))))
        for _ in range(draw(st.integers(0, 3))):
            d0 = base + timedelta(minutes=draw(st.integers(-30, length)))
            places = st.sampled_from(list(Place))
            events.append(DriveLeg(eid("d"), "T-1", d0, d0 + timedelta(minutes=draw(st.integers(1, 90))),
                                   5.0, draw(places), draw(places), draw(st.sampled_from([None, "WO-1", "WO-2"]))))
        for _ in range(draw(st.integers(0, 2))):
            v0 = base + timedelta(minutes=draw(st.integers(0, length)))
            wo = draw(st.sampled_from(["WO-1", "WO-2", "WO-3"]))
            events.append(WorkOrderCheck(eid("c"), "T-1", wo, v0, True))
            events.append(WorkOrderCheck(eid("c"), "T-1", wo, v0 + timedelta(minutes=draw(st.integers(5, 300))), False))
    return events


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(fortnights(), st.sampled_from(POLICIES))
def test_paid_categories_add_up_to_worked_time(events, policy):
    for day in sheet(events, policy).days:
        paid = day.paid_breaks + sum(day.drive.values()) + sum(day.on_site.values()) + day.gaps
        assert paid == day.worked
        assert day.regular + day.overtime + day.double_time == day.worked
        assert sum(s.length for s in day.segments) == day.clocked


@SETTINGS
@given(fortnights(), st.sampled_from(POLICIES), st.randoms(use_true_random=False))
def test_shuffling_or_duplicating_the_input_changes_nothing(events, policy, rnd):
    expected = timesheet_document(sheet(events, policy, wage="25"))
    mixed = events + rnd.sample(events, k=len(events) // 2)
    rnd.shuffle(mixed)
    assert timesheet_document(sheet(mixed, policy, wage="25")) == expected


@SETTINGS
@given(fortnights(), st.sampled_from(POLICIES), st.integers(1, 240))
def test_adding_work_never_lowers_pay(events, policy, minutes):
    before = sheet(events, policy, wage="25")
    last_day = max(e.at for e in events if isinstance(e, Punch)) + timedelta(hours=20)
    extra = [Punch("x-in", "T-1", PunchAction.CLOCK_IN, last_day),
             Punch("x-out", "T-1", PunchAction.CLOCK_OUT, last_day + timedelta(minutes=minutes))]
    after = sheet(events + extra, policy, wage="25")
    assert after.cost >= before.cost
    assert after.worked >= before.worked


def test_nearest_rounding_is_neutral_over_uniformly_spread_punches():
    rnd = random.Random(785_48)
    for minutes in (5, 6, 15):
        punches = []
        for n in range(4000):
            at = START + timedelta(days=n % 28, seconds=rnd.randrange(8 * 3600))
            kind = PunchAction.CLOCK_IN if n % 2 == 0 else PunchAction.CLOCK_OUT
            punches.append((to_us(at), Punch(f"p{n}", "T-1", kind, at)))
        rounded = round_punches(sorted(punches, key=lambda p: p[0]), minutes, CHICAGO, meals_exempt=False)
        net = sum(r.gain_us for r in rounded) / 60e6
        # Each punch moves at most minutes/2; over 4,000 the net is a few minutes either way.
        assert abs(net) / len(punches) < minutes * 0.02
        up = sum(1 for r in rounded if r.gain_us > 0)
        assert 0.45 < up / len(punches) < 0.55


def test_rounding_policy_refuses_other_intervals():
    with pytest.raises(PolicyError, match="5, 6"):
        RoundingPolicy(10)


@SETTINGS
@given(st.integers(1, 72 * 60), st.lists(st.tuples(st.integers(0, 72 * 60), st.integers(1, 300)), max_size=6),
       st.sampled_from([8, 12, 18]), st.sampled_from(POLICIES))
def test_issue_16_a_late_clock_out_never_pays_more_than_the_limit(out_after, visits, limit_h, policy):
    """One clock-in, work recorded anywhere, a clock-out however late: the shift never
    counts more than the auto clock-out limit (issue 16)."""
    events = [Punch("in", "T-1", PunchAction.CLOCK_IN, START),
              Punch("out", "T-1", PunchAction.CLOCK_OUT, START + timedelta(minutes=out_after))]
    for n, (begin, length) in enumerate(visits):
        events.append(WorkOrderCheck(f"c{n}", "T-1", "WO-1", START + timedelta(minutes=begin), True))
        events.append(WorkOrderCheck(f"e{n}", "T-1", "WO-1", START + timedelta(minutes=begin + length), False))
    result = sheet(events, policy, auto_clock_out_after_h=limit_h)
    assert sum(day.clocked for day in result.days) <= limit_h * 3600 * 1_000_000
    if out_after <= limit_h * 60:
        assert sum(day.clocked for day in result.days) == out_after * 60 * 1_000_000


@SETTINGS
@given(st.integers(0, 9 * 60 - 30), st.integers(0, 9 * 60 - 30), st.integers(30, 60), st.booleans(),
       st.sampled_from(POLICIES), st.sampled_from([0, 15]))
def test_issue_16_moving_a_meal_inside_a_work_period_never_changes_worked_hours(
        first, second, length, off_clock, policy, rounding):
    """A 10-hour span from 18:00 (across midnight) with one meal, taken on the clock or by
    clocking out and in: wherever the meal falls, the worked hours are the same
    (rounding aside, which California never applies to meal punches: Donohue)."""
    def worked(offset):
        begin = START + timedelta(hours=19, minutes=30 + offset)
        end = begin + timedelta(minutes=length)
        clock_in, clock_out = START + timedelta(hours=19), START + timedelta(hours=29)  # 18:00-04:00 Chicago
        if off_clock:
            punches = [(PunchAction.CLOCK_IN, clock_in), (PunchAction.CLOCK_OUT, begin),
                       (PunchAction.CLOCK_IN, end), (PunchAction.CLOCK_OUT, clock_out)]
        else:
            punches = [(PunchAction.CLOCK_IN, clock_in), (PunchAction.BREAK_START, begin),
                       (PunchAction.BREAK_END, end), (PunchAction.CLOCK_OUT, clock_out)]
        events = [Punch(f"p{n}", "T-1", kind, when, BreakKind.MEAL if kind is PunchAction.BREAK_START else None)
                  for n, (kind, when) in enumerate(punches)]
        result = sheet(events, policy, rounding=RoundingPolicy(rounding if policy == "california" else 0))
        return result.worked

    assert worked(first) == worked(second) == (10 * 60 - length) * 60 * 1_000_000
