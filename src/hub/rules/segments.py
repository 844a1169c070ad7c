"""A shift's time, cut into labelled segments: every microsecond on the clock is exactly
one of unpaid meal, paid break, drive, on site or gap, and belongs to one workday."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from hub.rules.drive import ClassifiedLeg
from hub.rules.instants import Overlaps, Workdays
from hub.rules.shifts import Shift
from hub.rules.visits import Visit


class Category(StrEnum):
    UNPAID_MEAL = "unpaid_meal"
    PAID_BREAK = "paid_break"
    DRIVE = "drive"
    ON_SITE = "on_site"
    GAP = "gap"
    HOURS_ONLY = "hours_only"  # an hours-only entry's time in the export; never a shift's segment


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


# (start, end, category, work order, ids), listed lowest priority first: a visit, then a
# drive over it, then a break over both; whatever none covers is a gap.
_Activity = tuple[int, int, Category, str | None, tuple[str, ...]]


def _activities(shift: Shift, legs: Overlaps[ClassifiedLeg], visits: Overlaps[Visit]) -> list[_Activity]:
    found: list[_Activity] = [
        (visit.start, visit.end, Category.ON_SITE, visit.work_order, visit.source_ids)
        for visit in visits.during(shift.start, shift.end)
    ]
    found += [
        (leg.start, leg.end, Category.DRIVE, leg.leg.work_order, (leg.leg.id,))
        for leg in legs.during(shift.start, shift.end) if leg.work
    ]
    found += [
        (item.start, item.end, Category.PAID_BREAK if item.paid else Category.UNPAID_MEAL, None,
         item.source_ids)
        for item in shift.breaks
    ]
    return found


def cut_shift(shift: Shift, legs: Overlaps[ClassifiedLeg], visits: Overlaps[Visit], workdays: Workdays) -> list[Segment]:
    """`legs` and `visits`: the technician's classified legs and visits, as Overlaps."""
    start, end = shift.start, shift.end
    if end <= start:
        return []
    activities = _activities(shift, legs, visits)
    cuts = workdays.boundaries(start, end)
    inside = [at for activity in activities for at in activity[:2] if start < at < end]
    ordered = sorted({start, end, *cuts, *inside})
    # Paint each elementary interval with the activity covering it, lowest priority first.
    gap: _Activity = (start, end, Category.GAP, None, shift.source_ids)
    painted = [gap] * (len(ordered) - 1)
    for activity in activities:
        # Clipped to the shift: `ordered` begins at `start`, and `end` is its last point.
        first = bisect_left(ordered, activity[0])
        last = bisect_left(ordered, activity[1], first, len(painted))
        painted[first:last] = [activity] * (last - first)
    segments: list[Segment] = []
    workday = workdays.day(start)
    next_cut = cuts[0] if cuts else end
    cut_index = 0
    run_start, run = start, painted[0]
    for at, activity in zip(ordered[1:], painted[1:]):
        if activity is run and at != next_cut:
            continue
        segments.append(Segment(workday, run_start, at, run[2], run[3], run[4]))
        run_start, run = at, activity
        if at == next_cut:
            workday = workdays.day(at)
            cut_index += 1
            next_cut = cuts[cut_index] if cut_index < len(cuts) else end
    segments.append(Segment(workday, run_start, end, run[2], run[3], run[4]))
    return segments
