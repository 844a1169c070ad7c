"""Regular, overtime and double-time hours of one workweek (29 CFR 778.104; Lab. Code 510).

Daily rules first, day by day; then the weekly threshold counts only regular hours, so
hours already paid as daily overtime do not count again toward 40.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hub.rules.instants import HOUR_US
from hub.rules.policy import OvertimePolicy


@dataclass(frozen=True, slots=True)
class DayHours:
    day: date
    regular: int
    overtime: int
    double_time: int


def _us(hours: Decimal | None) -> int | None:
    return None if hours is None else int(hours * HOUR_US)


def split_workweek(
    worked: list[tuple[date, int]],
    policy: OvertimePolicy,
    excess: dict[date, int] | None = None,
) -> list[DayHours]:
    """`worked`: (workday, worked µs) for each workday of one workweek, in order.
    `excess`: µs past a daily threshold not counted by calendar workday (Colorado's
    consecutive hours, Nevada's 24 hours from the start of work), by the day each falls on."""
    daily_ot, daily_dt = _us(policy.daily_ot_after), _us(policy.daily_dt_after)
    if policy.daily_from_start_of_work:
        daily_ot = None  # NRS 608.0126: counted from the start of work, in `excess`
    weekly = _us(policy.weekly_ot_after)
    worked_days = sum(1 for _, us in worked if us > 0)
    seventh = policy.seventh_day and worked_days == 7
    eight = 8 * HOUR_US
    result = []
    regular_so_far = 0
    for index, (day, total) in enumerate(worked):
        if seventh and index == 6:
            # Lab. Code 510(a): the seventh consecutive day: 1.5x to 8 hours, 2x beyond
            ot, dt = min(total, eight), max(0, total - eight)
        else:
            dt = max(0, total - daily_dt) if daily_dt is not None else 0
            capped = total - dt
            ot = max(0, capped - daily_ot) if daily_ot is not None else 0
            if excess:
                ot = max(ot, min(excess.get(day, 0), capped))
        regular = total - ot - dt
        if weekly is not None and regular_so_far + regular > weekly:
            moved = min(regular, regular_so_far + regular - weekly)
            regular, ot = regular - moved, ot + moved
        regular_so_far += regular
        result.append(DayHours(day, regular, ot, dt))
    return result
