"""A van's ignition changes and GPS fixes -> drive legs. Pure; the same legs whatever
order the telemetry arrived in (it is sorted here), so late data only means a rebuild.

With an ignition wire, a leg runs from ignition on to ignition off; an engine-off stop
shorter than `merge_stop_s` (a fuel stop) stays inside one leg, and a leg shorter than
`min_trip_m` (idling in the yard) is no trip. Without a wire, motion decides, as Traccar
does: a trip starts after `min_trip_s` or `min_trip_m` of movement and ends after
`min_parking_s` without it, or at a data gap of `gap_s`.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import reduce
from operator import add, attrgetter, itemgetter
from typing import NamedTuple, cast

from depotclock.wire.motion import MOVING_KMH, STOP_AFTER_S
from hub.rules.events import Place

EARTH_M = 6_371_000
in_order = attrgetter("at", "id")  # the order readings are taken in: by instant, then id


class LegSource(StrEnum):
    IGNITION = "ignition"
    MOTION = "motion"


@dataclass(frozen=True)
class LegPolicy:
    source: LegSource = LegSource.IGNITION
    merge_stop_s: int = 300
    min_trip_m: float = 200.0
    min_trip_s: int = 300
    min_parking_s: int = STOP_AFTER_S
    moving_kmh: float = MOVING_KMH  # the unit's too: depotclock.wire.motion
    gap_s: int = 3600


class Reading(NamedTuple):
    """One telemetry item: an ignition change (`on` set) or a fix (`lat`/`lon` set).
    `id` names the item (its UUID, or any hashable, orderable value): a repeated id is one
    item, and readings at one instant are taken in `id` order. A named tuple: ingest makes
    one per item, and a tuple is made in a third of a frozen dataclass's time."""

    id: Hashable
    at: datetime
    on: bool | None = None
    lat: float | None = None
    lon: float | None = None
    speed_kmh: float = 0.0


@dataclass(frozen=True)
class Geofence:
    kind: Place
    ref: str
    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True)
class Leg:
    start: datetime
    end: datetime
    start_position: tuple[float, float] | None
    end_position: tuple[float, float] | None
    distance_km: float
    origin: Place
    origin_ref: str | None
    destination: Place
    destination_ref: str | None


def _steps(lats: list[float], lons: list[float]) -> list[float]:
    """Great-circle metres (haversine) from each point to the next. Each point's radians
    and cosine are worked out once; the float arithmetic is the textbook's, term by term."""
    phi, lam = list(map(math.radians, lats)), list(map(math.radians, lons))
    cos, sin, asin, sqrt, diameter = list(map(math.cos, phi)), math.sin, math.asin, math.sqrt, 2 * EARTH_M
    return [
        diameter * asin(sqrt(sin((phi2 - phi1) / 2) ** 2 + cos1 * cos2 * sin((lam2 - lam1) / 2) ** 2))
        for phi1, phi2, lam1, lam2, cos1, cos2 in zip(phi, phi[1:], lam, lam[1:], cos, cos[1:])
    ]


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    return _steps([a[0], b[0]], [a[1], b[1]])[0]


def place_of(position: tuple[float, float] | None, fences: list[Geofence]) -> tuple[Place, str | None]:
    """The nearest geofence containing `position`, else `other`."""
    if position is None:
        return Place.OTHER, None
    inside = [(metres(position, (f.lat, f.lon)), f) for f in fences]
    inside = [(d, f) for d, f in inside if d <= f.radius_m]
    if not inside:
        return Place.OTHER, None
    _, fence = min(inside, key=itemgetter(0))
    return fence.kind, fence.ref


def _travelled(fixes: list[Reading]) -> float:
    """Metres along `fixes`, added up one step after the other (not `sum`, which
    compensates from Python 3.12)."""
    # `fixes` are readings with lat set (build_legs), so lon too (a wire Fix has both)
    return reduce(add, _steps(cast(list[float], [f.lat for f in fixes]), cast(list[float], [f.lon for f in fixes])), 0.0)


def _position(fix: Reading) -> tuple[float, float]:
    if fix.lat is None or fix.lon is None:
        raise ValueError(f"reading {fix.id} is not a fix: it has no position")
    return fix.lat, fix.lon


def _leg(fixes: list[Reading], ats: list[datetime], start: datetime, end: datetime,
         fences: list[Geofence]) -> Leg:
    """The leg over the fixes from `start` to `end`, both included (`ats`: their instants)."""
    inside = fixes[bisect_left(ats, start):bisect_right(ats, end)]
    first = _position(inside[0]) if inside else None
    last = _position(inside[-1]) if inside else None
    origin, origin_ref = place_of(first, fences)
    destination, destination_ref = place_of(last, fences)
    return Leg(start, end, first, last, round(_travelled(inside) / 1000, 3), origin, origin_ref,
               destination, destination_ref)


def _ignition_spans(readings: list[Reading], policy: LegPolicy) -> list[tuple[datetime, datetime]]:
    """`readings` in order; only the ignition changes among them play a part."""
    spans: list[list[datetime]] = []
    on_since: datetime | None = None
    for reading in readings:
        if reading.on is True and on_since is None:
            merge = spans and reading.at - spans[-1][1] < timedelta(seconds=policy.merge_stop_s)
            on_since = spans.pop()[0] if merge else reading.at
        elif reading.on is False and on_since is not None:
            spans.append([on_since, reading.at])
            on_since = None
    return [(a, b) for a, b in spans]


def _motion_spans(
    fixes: list[Reading], ats: list[datetime], policy: LegPolicy
) -> list[tuple[datetime, datetime]]:
    """Trips by motion (`ats`: the fixes' instants), found as (index of the first fix,
    instant of the last moving one, index of the fix that ended the trip); their distance
    is only worked out when their duration is too short to decide."""
    gap, parking = timedelta(seconds=policy.gap_s), timedelta(seconds=policy.min_parking_s)
    trips: list[tuple[int, datetime, int]] = []
    first: int | None = None
    previous: datetime | None = None
    last_moving = datetime.min  # read only once a trip has begun (`first` set), which sets it
    for k, (at, moving) in enumerate(zip(ats, [f.speed_kmh >= policy.moving_kmh for f in fixes])):
        after_gap = previous is not None and at - previous >= gap
        if first is not None and (after_gap or at - last_moving >= parking):
            trips.append((first, last_moving, k))
            first = None
        if moving:
            if first is None:
                first = k - 1 if previous is not None and not after_gap else k
            last_moving = at
        previous = at
    if first is not None and previous is not None and previous - last_moving >= parking:
        trips.append((first, last_moving, len(ats)))
    return [
        (ats[a], b) for a, b, ended in trips
        if (b - ats[a]).total_seconds() >= policy.min_trip_s
        or _travelled(fixes[a:ended]) >= policy.min_trip_m
    ]


def _ordered(readings: list[Reading]) -> list[Reading]:
    """Each item once (its last copy), in (at, id) order."""
    return sorted({r.id: r for r in readings}.values(), key=in_order)


def ignition_spans(readings: list[Reading], policy: LegPolicy) -> list[tuple[datetime, datetime]]:
    """Ignition on to off, fuel stops merged: the spans ignition legs are made of (before
    the `min_trip_m` filter); a span still under way is left out."""
    return _ignition_spans(_ordered(readings), policy)


def build_legs(readings: list[Reading], policy: LegPolicy, fences: list[Geofence]) -> list[Leg]:
    """Completed legs of one vehicle, in time order. A leg still under way is left out
    until it ends; it is built when the data that ends it arrives."""
    ordered = _ordered(readings)
    fixes = [r for r in ordered if r.lat is not None]
    ats = [f.at for f in fixes]
    if policy.source is LegSource.IGNITION:
        spans = _ignition_spans([r for r in ordered if r.on is not None], policy)
    else:
        spans = _motion_spans(fixes, ats, policy)
    legs = [_leg(fixes, ats, start, end, fences) for start, end in spans]
    if policy.source is LegSource.IGNITION:
        legs = [leg for leg in legs if leg.distance_km * 1000 >= policy.min_trip_m]
    return legs
