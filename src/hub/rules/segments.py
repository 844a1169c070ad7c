"""A shift's time, cut into labelled segments: every microsecond on the clock is exactly
one of unpaid meal, paid break, drive, on site or gap, and belongs to one workday."""

from __future__ import annotations

from bisect import bisect_left
from typing import NamedTuple
from datetime import date, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from hub.rules.instants import Overlaps, local_date, local_start_us
from hub.rules.shifts import Shift


class Category(StrEnum):
    UNPAID_MEAL = "unpaid_meal"
    PAID_BREAK = "paid_break"
    DRIVE = "drive"
    ON_SITE = "on_site"
    GAP = "gap"


class Segment(NamedTuple):
    """A NamedTuple rather than a dataclass: there are millions of these in a payroll run."""

    workday: date
    start: int
    end: int
    category: Category
    work_order: str | None
    source_ids: tuple[str, ...]

    @property
    def length(self) -> int:
        return self.end - self.start


# (start, end, priority, category, work order, ids): a break wins over a drive, a drive
# over a visit, and anything over the gap.
_Activity = tuple[int, int, int, Category, str | None, tuple[str, ...]]


def _activities(shift: Shift, legs: Overlaps, visits: Overlaps) -> list[_Activity]:
    found: list[_Activity] = []
    for item in shift.breaks:
        category = Category.PAID_BREAK if item.paid else Category.UNPAID_MEAL
        found.append((item.start, item.end, 3, category, None, item.source_ids))
    for leg in legs.during(shift.start, shift.end):
        if leg.work:
            found.append((leg.start, leg.end, 2, Category.DRIVE, leg.leg.work_order, (leg.leg.id,)))
    for visit in visits.during(shift.start, shift.end):
        found.append((visit.start, visit.end, 1, Category.ON_SITE, visit.work_order, visit.source_ids))
    return found


def _day_boundaries(start: int, end: int, day_start: time, tz: ZoneInfo) -> list[int]:
    day = local_date(start, day_start, tz) + timedelta(days=1)
    cuts = []
    while (cut := local_start_us(day, day_start, tz)) < end:
        cuts.append(cut)
        day += timedelta(days=1)
    return cuts


def cut_shift(shift: Shift, legs: Overlaps, visits: Overlaps, day_start: time, tz: ZoneInfo) -> list[Segment]:
    """`legs` and `visits`: the technician's classified legs and visits, as Overlaps."""
    if shift.end <= shift.start:
        return []
    activities = sorted(_activities(shift, legs, visits), key=lambda a: a[2])
    cuts = _day_boundaries(shift.start, shift.end, day_start, tz)
    points = {shift.start, shift.end, *cuts}
    for start, end, *_ in activities:
        if shift.start < start < shift.end:
            points.add(start)
        if shift.start < end < shift.end:
            points.add(end)
    ordered = sorted(points)
    # Paint each elementary interval with its activities, lowest priority first.
    painted: list[_Activity | None] = [None] * (len(ordered) - 1)
    for activity in activities:
        first = bisect_left(ordered, max(activity[0], shift.start))
        last = bisect_left(ordered, min(activity[1], shift.end))
        for index in range(first, last):
            painted[index] = activity
    segments: list[Segment] = []
    workday = local_date(shift.start, day_start, tz)
    cut_index = 0
    for index, activity in enumerate(painted):
        a, b = ordered[index], ordered[index + 1]
        if cut_index < len(cuts) and a >= cuts[cut_index]:
            workday += timedelta(days=1)
            cut_index += 1
        if activity is None:
            category, work_order, ids = Category.GAP, None, shift.source_ids
        else:
            category, work_order, ids = activity[3], activity[4], activity[5]
        last_segment = segments[-1] if segments else None
        if (
            last_segment is not None
            and last_segment.workday == workday
            and last_segment.category is category
            and last_segment.work_order == work_order
            and last_segment.source_ids == ids
        ):
            segments[-1] = Segment(workday, last_segment.start, b, category, work_order, ids)
        else:
            segments.append(Segment(workday, a, b, category, work_order, ids))
    return segments
