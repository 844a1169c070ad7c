"""Who drove a leg and for which work order. Pure: plain rows in, plain rows out.

The driver is the one a supervisor named for the leg (a correction: an assignment
covering just the leg's span, recorded with a reason), else whoever badged on the cab
reader last before the leg began (a read just after ignition on counts: drivers badge
once seated), else whoever the van was assigned to then. The work order is the one the driver checked in to near the leg's end; when the
leg ends in a work-order site's geofence and that check-in is missing, the site's work
order is attached anyway with source "geofence", which is the flag for a missing check-in.
A check-in usually comes minutes after the van stopped; the web then asks for the leg to
be attributed again (`requested_rebuilds`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.rules.badges import BadgeIssue, badge_owner
from hub.rules.events import Place
from hub.rules.legs import Leg


@dataclass(frozen=True)
class DriverRead:
    at: datetime
    badge_id: str


@dataclass(frozen=True)
class Assignment:
    technician_id: str
    starts_at: datetime
    ends_at: datetime | None
    corrected: bool = False  # a supervisor's correction naming one leg's driver


@dataclass(frozen=True)
class CheckIn:
    technician_id: str
    work_order_id: str
    at: datetime


@dataclass(frozen=True)
class AttributionPolicy:
    driver_badge_grace_s: int = 300  # a cab read this long after the leg began still counts
    check_in_before_s: int = 900  # a check-in this long before the van stopped ...
    check_in_after_s: int = 1800  # ... or this long after, belongs to the leg


@dataclass(frozen=True)
class AttributedLeg:
    leg: Leg
    technician_id: str | None
    driver_source: str | None  # correction | badge | assignment
    work_order_id: str | None
    work_order_source: str | None  # check_in | geofence


def driver(
    leg: Leg,
    reads: list[DriverRead],
    issues: list[BadgeIssue],
    assignments: list[Assignment],
    policy: AttributionPolicy = AttributionPolicy(),
) -> tuple[str | None, str | None]:
    """(technician, "correction" | "badge" | "assignment"), or (None, None) when nobody
    is known."""
    covering = [
        a for a in assignments
        if a.starts_at <= leg.start and (a.ends_at is None or leg.start < a.ends_at)
    ]
    corrections = [a for a in covering if a.corrected]
    if corrections:
        return max(corrections, key=lambda a: (a.starts_at, a.technician_id)).technician_id, "correction"
    latest = leg.start + timedelta(seconds=policy.driver_badge_grace_s)
    before = [r for r in reads if r.at <= latest]
    if before:
        read = max(before, key=lambda r: (r.at, r.badge_id))
        owner = badge_owner(read.badge_id, read.at, issues)
        if owner is not None:
            return owner, "badge"
    if covering:
        return max(covering, key=lambda a: (a.starts_at, a.technician_id)).technician_id, "assignment"
    return None, None


def work_order(
    end: datetime,
    destination: Place,
    destination_ref: str | None,
    technician_id: str | None,
    check_ins: list[CheckIn],
    policy: AttributionPolicy = AttributionPolicy(),
) -> tuple[str | None, str | None]:
    """(work order, "check_in" | "geofence"), or (None, None), for a leg ending at `end`
    in `destination`."""
    site = destination_ref if destination is Place.SITE else None
    earliest = end - timedelta(seconds=policy.check_in_before_s)
    latest = end + timedelta(seconds=policy.check_in_after_s)
    near = [
        c for c in check_ins
        if technician_id is not None and c.technician_id == technician_id
        and earliest <= c.at <= latest
    ]
    if site is not None:
        if any(c.work_order_id == site for c in near):
            return site, "check_in"
        return site, "geofence"
    if near and destination is not Place.DEPOT:  # a site without a geofence
        closest = min(near, key=lambda c: (abs((c.at - end).total_seconds()), c.work_order_id))
        return closest.work_order_id, "check_in"
    return None, None


def attribute(
    legs: list[Leg],
    reads: list[DriverRead],
    issues: list[BadgeIssue],
    assignments: list[Assignment],
    check_ins: list[CheckIn],
    policy: AttributionPolicy = AttributionPolicy(),
) -> list[AttributedLeg]:
    attributed = []
    for leg in legs:
        technician, driver_source = driver(leg, reads, issues, assignments, policy)
        order, order_source = work_order(
            leg.end, leg.destination, leg.destination_ref, technician, check_ins, policy)
        attributed.append(AttributedLeg(leg, technician, driver_source, order, order_source))
    return attributed
