"""Drive legs -> work or commute, each with the reason (29 CFR 785.35, 785.38)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hub.rules.events import DriveLeg, Place
from hub.rules.findings import Code, TimesheetException
from hub.rules.instants import Overlaps
from hub.rules.policy import TimesheetPolicy
from hub.rules.shifts import Shift

_WORK_REASONS = {
    (Place.DEPOT, Place.SITE): "depot to job site: travel that is part of the day's work (785.38)",
    (Place.SITE, Place.SITE): "customer to customer: travel that is part of the day's work (785.38)",
    (Place.SITE, Place.DEPOT): "job site back to the depot: part of the day's work (785.38)",
}


@dataclass(frozen=True, slots=True)
class ClassifiedLeg:
    leg: DriveLeg
    start: int
    end: int
    work: bool
    reason: str


def classify_leg(leg: DriveLeg, policy: TimesheetPolicy) -> tuple[bool, str]:
    if Place.HOME in (leg.origin, leg.destination):
        if policy.home_legs_are_work:
            return True, "travel from or to home counts as work under this company's policy"
        return False, "travel between home and work is ordinary commuting, not work (785.35)"
    reason = _WORK_REASONS.get((leg.origin, leg.destination))
    if reason is None:
        reason = f"{leg.origin} to {leg.destination} during the workday is work (785.38)"
    return True, reason


def classify_legs(
    legs: list[tuple[int, int, DriveLeg]], shifts: list[Shift], policy: TimesheetPolicy,
    tz: ZoneInfo,
) -> tuple[list[ClassifiedLeg], list[TimesheetException]]:
    """`legs`: (start µs, end µs, leg) in time order."""
    on_clock = Overlaps(shifts)
    classified, exceptions = [], []
    by_route: dict[tuple[Place, Place], tuple[bool, str]] = {}  # classify_leg reads only these
    for start, end, leg in legs:
        route = leg.origin, leg.destination
        if route not in by_route:
            by_route[route] = classify_leg(leg, policy)
        work, reason = by_route[route]
        classified.append(ClassifiedLeg(leg, start, end, work, reason))
        if not work:
            continue
        if leg.work_order is None and leg.destination is Place.SITE:
            exceptions.append(TimesheetException(
                Code.DRIVE_WITHOUT_WORK_ORDER, leg.start.astimezone(tz),
                f"Drive of {leg.km:.1f} km to a job site with no work order.", (leg.id,)))
        if not on_clock.during(start, end):
            exceptions.append(TimesheetException(
                Code.DRIVE_OFF_CLOCK, leg.start.astimezone(tz),
                f"Work drive of {leg.km:.1f} km while off the clock; not paid until corrected.",
                (leg.id,)))
    return classified, exceptions
