"""Rounding once, at the end: rows always sum to the rounded total and each row is within
one unit of its exact value (largest remainder)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.export.rounding import (
    HUNDREDTH_US,
    MINUTE_US,
    RoundingError,
    apportion,
    hours_text,
    round_units,
)
from hub.rules.instants import HOUR_US

MINUTE = 60_000_000
durations = st.lists(st.integers(min_value=0, max_value=200 * HOUR_US), max_size=40)
units = st.sampled_from([HUNDREDTH_US, MINUTE_US])


def test_three_20_minute_rows_are_0_33_0_33_0_34_not_0_99():
    rows = apportion([20 * MINUTE] * 3)
    assert [hours_text(r) for r in rows] == ["0.34", "0.33", "0.33"]
    assert sum(rows) == 100


def test_hours_are_written_with_two_decimals():
    assert [hours_text(u) for u in (0, 5, 725, 8000, -25)] == ["0.00", "0.05", "7.25", "80.00", "-0.25"]


def test_the_total_rounds_half_up_like_payroll():
    assert round_units(HUNDREDTH_US // 2) == 1
    assert round_units(HUNDREDTH_US // 2 - 1) == 0
    assert round_units(90 * MINUTE + 30_000_000, MINUTE_US) == 91


@given(durations, units)
def test_rows_sum_to_the_rounded_total_and_stay_within_one_unit(exact, unit):
    rows = apportion(exact, unit)
    assert sum(rows) == round_units(sum(exact), unit)
    for row, value in zip(rows, exact):
        assert abs(row * unit - value) < unit


@given(durations, units, st.data())
def test_any_total_within_one_unit_of_the_sum_can_be_shared(exact, unit, data):
    exact_sum = sum(exact)
    reachable = [t for t in (exact_sum // unit, -(-exact_sum // unit)) if abs(t * unit - exact_sum) < unit]
    total = data.draw(st.sampled_from(reachable))
    rows = apportion(exact, unit, total)
    assert sum(rows) == total
    assert all(abs(row * unit - value) < unit for row, value in zip(rows, exact))


def test_a_total_out_of_reach_is_refused():
    with pytest.raises(RoundingError):
        apportion([HOUR_US], HUNDREDTH_US, total=102)
