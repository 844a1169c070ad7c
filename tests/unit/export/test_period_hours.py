"""A pay period's hours by pay code, and the worked pieces behind them (29 CFR 778.106:
regular hours where worked, a workweek's overtime where the workweek ends)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from hub.export.period_hours import (
    WORKED_CODES,
    PayCode,
    PayPeriod,
    day_pieces,
    period_hours,
    premium_days,
    worked_pieces,
)
from hub.rules.pay_period import pay_period
from hub.rules.policy import PayPeriodKind, PayPeriodPolicy
from hub.rules.sheets import hours
from hub.rules.timesheet import compute_timesheets
from hub.settings import PayrollSettings
from tests.unit.export import scenario
from tests.unit.rules.build import brk, sheet, shift

MAR30 = date(2026, 3, 30)  # a Monday; its week ends in April


def _totals(pieces) -> dict[PayCode, int]:
    found: dict[PayCode, int] = defaultdict(int)
    for piece in pieces:
        found[piece.code] += piece.length
    return found


def _semimonthly_week_of_50_hours():
    events = []
    for offset in range(5):
        day = MAR30 + timedelta(days=offset)
        events += shift(day, "07:00", "17:30") + brk(day, "12:00", "12:30", kind="meal")
    return sheet(events, pay_period=PayPeriodPolicy(PayPeriodKind.SEMIMONTHLY))


def test_778_106_a_week_across_two_semimonthly_periods_pays_its_overtime_where_it_ends():
    result = _semimonthly_week_of_50_hours()
    march, april = PayPeriod(date(2026, 3, 16), date(2026, 3, 31)), PayPeriod(date(2026, 4, 1), date(2026, 4, 15))
    assert [hours(h) for h in period_hours(result, march)] == [20, 0, 0, 0, 0, 0]
    assert [hours(h) for h in period_hours(result, april)] == [20, 10, 0, 0, 0, 0]
    assert {p.workday for p in worked_pieces(result, march)} == {MAR30, MAR30 + timedelta(days=1)}
    april_pieces = list(worked_pieces(result, april))
    assert {p.workday for p in april_pieces if p.code is PayCode.OVERTIME} == {date(2026, 4, 3)}


@pytest.mark.parametrize("kind", list(PayPeriodKind))
def test_the_pieces_of_every_period_add_up_to_its_hours(kind):
    payroll = PayrollSettings(pay_period=kind)
    for result in compute_timesheets(scenario.events(), scenario.profiles(payroll)):
        for start, end in {pay_period(day.date, payroll.policy("flsa").pay_period) for day in result.days}:
            period = PayPeriod(start, end)
            found = _totals(worked_pieces(result, period))
            assert [found[c] for c in WORKED_CODES] == [period_hours(result, period).of(c) for c in WORKED_CODES]


def test_a_day_is_regular_first_then_overtime_then_double_time_in_time_order():
    (ana,) = scenario.sheets(("T-200",))
    monday = ana.timesheet.days[0]
    pieces = list(day_pieces(monday))
    codes = [p.code for p in pieces]
    assert codes == sorted(codes, key=WORKED_CODES.index)
    assert hours(sum(p.length for p in pieces if p.code is PayCode.DOUBLE_TIME)) == Decimal("0.5")
    assert pieces[-1].end == monday.last_out_us
    assert all(a.end <= b.start for a, b in zip(pieces, pieces[1:]))


def test_premium_hours_are_paid_in_the_period_where_their_week_ends():
    (ana,) = scenario.sheets(("T-200",))
    assert list(premium_days(ana.timesheet, scenario.PERIOD)) == [(date(2026, 3, 3), 1)]
    assert period_hours(ana.timesheet, scenario.PERIOD).premium == 3_600_000_000
