"""Rounding once, at the end: rows that add up to the rounded total exactly.

Rounding each row on its own loses or invents hundredths (three rows of 20 minutes round
to 0.33 + 0.33 + 0.33 = 0.99 hours); instead the total is rounded once and its units are
shared out by largest remainder (Hamilton's method), so every row is within one unit of
its exact value and the rows always sum to the total.

Durations are integer microseconds, as the engine keeps them, so all of this is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from hub.rules.instants import HOUR_US

HUNDREDTH_US = HOUR_US // 100  # payroll hours to two decimals
MINUTE_US = HOUR_US // 60  # QuickBooks durations are whole minutes
_HUNDREDTH = Decimal("0.01")


class RoundingError(ValueError):
    """A total that rows within one unit of their exact values cannot reach."""


def round_units(exact_us: int, unit_us: int = HUNDREDTH_US) -> int:
    """`exact_us` in whole units, to the nearest; a tie rounds up (as payroll does)."""
    return (2 * exact_us + unit_us) // (2 * unit_us)


def apportion(exact_us: Sequence[int], unit_us: int = HUNDREDTH_US,
              total: int | None = None) -> list[int]:
    """Each of `exact_us` in whole units, summing to `total` units (default: the exact sum
    rounded once). Each row is its exact value rounded down, plus one unit for the rows
    with the largest remainders (earlier rows first on a tie).

    `total` must be less than one unit from the exact sum (e.g. a row of the rounding one
    level up), else no rows within one unit of their exact values reach it.
    """
    if total is None:
        total = round_units(sum(exact_us), unit_us)
    floors = [value // unit_us for value in exact_us]
    missing = total - sum(floors)
    if not 0 <= missing <= len(floors):
        raise RoundingError(
            f"{total} units of {unit_us} µs cannot be shared among rows of {sum(exact_us)} µs")
    if missing:
        # sorted() is stable: on a tie the earlier row comes first
        by_remainder = sorted(range(len(floors)), key=lambda i: -(exact_us[i] % unit_us))
        for index in by_remainder[:missing]:
            floors[index] += 1
    return floors


def hundredths(units: int) -> Decimal:
    """Hours of a number of hundredth-hour units, as a two-decimal Decimal."""
    return Decimal(units) * _HUNDREDTH


def hours_text(units: int) -> str:
    """"7.25": hundredth-hour units as payroll files write hours."""
    sign, units = ("-", -units) if units < 0 else ("", units)
    return f"{sign}{units // 100}.{units % 100:02d}"
