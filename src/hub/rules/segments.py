"""A shift's time, cut into labelled segments: every microsecond on the clock is exactly
one of unpaid meal, paid break, drive, on site or gap, and belongs to one workday."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from hub.rules.drive import ClassifiedLeg
from hub.rules.instants import local_date, local_start_us
from hub.rules.shifts import Shift
from hub.rules.visits import Visit


class Category(StrEnum):
    UNPAID_MEAL = "unpaid_meal"
    PAID_BREAK = "paid_break"
    DRIVE = "drive"
    ON_SITE = "on_site"
    GAP = "gap"


@dataclass(frozen=True, slots=True)
class Segment:
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


def _activities(shift: Shift, legs: list[ClassifiedLeg], visits: list[Visit]) -> list[_Activity]:
    found: list[_Activity] = []
    for item in shift.breaks:
        category = Category.PAID_BREAK if item.paid else Category.UNPAID_MEAL
        found.append((item.start, item.end, 3, category, None, item.source_ids))
    for leg in legs:
        if leg.work and leg.start < shift.end and shift.start < leg.end:
            found.append((leg.start, leg.end, 2, Category.DRIVE, leg.leg.work_order, (leg.leg.id,)))
    for visit in visits:
        if visit.start < shift.end and shift.start < visit.end:
            found.append((visit.start, visit.end, 1, Category.ON_SITE, visit.work_order, visit.source_ids))
    return found


def _day_boundaries(start: int, end: int, day_start: time, tz: ZoneInfo) -> list[int]:
    day = local_date(start, day_start, tz) + timedelta(days=1)
    cuts = []
    while (cut := local_start_us(day, day_start, tz)) < end:
        cuts.append(cut)
        day += timedelta(days=1)
    return cuts


def cut_shift(
    shift: Shift, legs: list[ClassifiedLeg], visits: list[Visit], day_start: time, tz: ZoneInfo
) -> list[Segment]:
    if shift.end <= shift.start:
        return []
    activities = _activities(shift, legs, visits)
    points = {shift.start, shift.end, *_day_boundaries(shift.start, shift.end, day_start, tz)}
    for start, end, *_ in activities:
        points.update(p for p in (start, end) if shift.start < p < shift.end)
    ordered = sorted(points)
    segments: list[Segment] = []
    workday = local_date(shift.start, day_start, tz)
    next_cut = local_start_us(workday + timedelta(days=1), day_start, tz)
    for a, b in zip(ordered, ordered[1:]):
        if a >= next_cut:
            workday = local_date(a, day_start, tz)
            next_cut = local_start_us(workday + timedelta(days=1), day_start, tz)
        best = None
        for activity in activities:
            if activity[0] <= a and b <= activity[1] and (best is None or activity[2] > best[2]):
                best = activity
        if best is None:
            category, work_order, ids = Category.GAP, None, shift.source_ids
        else:
            category, work_order, ids = best[3], best[4], best[5]
        last = segments[-1] if segments else None
        if last and last.end == a and (last.workday, last.category, last.work_order, last.source_ids) == (
            workday, category, work_order, ids
        ):
            segments[-1] = Segment(workday, last.start, b, category, work_order, ids)
        else:
            segments.append(Segment(workday, a, b, category, work_order, ids))
    return segments
