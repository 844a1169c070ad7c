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
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from hub.rules.events import Place

EARTH_M = 6_371_000


class LegSource(StrEnum):
    IGNITION = "ignition"
    MOTION = "motion"


@dataclass(frozen=True)
class LegPolicy:
    source: LegSource = LegSource.IGNITION
    merge_stop_s: int = 300
    min_trip_m: float = 200.0
    min_trip_s: int = 300
    min_parking_s: int = 300
    moving_kmh: float = 3.0
    gap_s: int = 3600


@dataclass(frozen=True, slots=True)
class Reading:
    """One telemetry item: an ignition change (`on` set) or a fix (`lat`/`lon` set)."""

    id: str
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
    source_ids: tuple[str, ...]


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_M * math.asin(math.sqrt(h))


def place_of(position: tuple[float, float] | None, fences: list[Geofence]) -> tuple[Place, str | None]:
    """The nearest geofence containing `position`, else `other`."""
    if position is None:
        return Place.OTHER, None
    inside = [(metres(position, (f.lat, f.lon)), f) for f in fences]
    inside = [(d, f) for d, f in inside if d <= f.radius_m]
    if not inside:
        return Place.OTHER, None
    _, fence = min(inside, key=lambda pair: pair[0])
    return fence.kind, fence.ref


def _leg(readings: list[Reading], start: datetime, end: datetime, fences: list[Geofence]) -> Leg:
    inside = [r for r in readings if start <= r.at <= end]
    fixes = [(r.lat, r.lon) for r in inside if r.lat is not None]
    distance = sum(metres(a, b) for a, b in zip(fixes, fixes[1:], strict=False)) / 1000
    first, last = (fixes[0], fixes[-1]) if fixes else (None, None)
    origin, origin_ref = place_of(first, fences)
    destination, destination_ref = place_of(last, fences)
    return Leg(start, end, first, last, round(distance, 3), origin, origin_ref, destination,
               destination_ref, tuple(r.id for r in inside))


def _ignition_spans(readings: list[Reading], policy: LegPolicy) -> list[tuple[datetime, datetime]]:
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


def _motion_spans(readings: list[Reading], policy: LegPolicy) -> list[tuple[datetime, datetime]]:
    fixes = [r for r in readings if r.lat is not None]
    spans, start, last_moving, travelled = [], None, None, 0.0
    previous = None
    for fix in fixes:
        gap = previous is not None and (fix.at - previous.at).total_seconds() >= policy.gap_s
        if start is not None and (gap or (fix.at - last_moving).total_seconds() >= policy.min_parking_s):
            spans.append((start, last_moving, travelled))
            start = None
        if fix.speed_kmh >= policy.moving_kmh:
            if start is None:
                start, travelled = (previous.at if previous and not gap else fix.at), 0.0
            last_moving = fix.at
        if start is not None and previous is not None and not gap:
            travelled += metres((previous.lat, previous.lon), (fix.lat, fix.lon))
        previous = fix
    if start is not None and previous is not None and (previous.at - last_moving).total_seconds() >= policy.min_parking_s:
        spans.append((start, last_moving, travelled))
    return [
        (a, b) for a, b, m in spans
        if (b - a).total_seconds() >= policy.min_trip_s or m >= policy.min_trip_m
    ]


def ignition_spans(readings: list[Reading], policy: LegPolicy) -> list[tuple[datetime, datetime]]:
    """Ignition on to off, fuel stops merged: the spans ignition legs are made of (before
    the `min_trip_m` filter); a span still under way is left out."""
    ordered = sorted({r.id: r for r in readings}.values(), key=lambda r: (r.at, r.id))
    return _ignition_spans(ordered, policy)


def build_legs(readings: list[Reading], policy: LegPolicy, fences: list[Geofence]) -> list[Leg]:
    """Completed legs of one vehicle, in time order. A leg still under way is left out
    until it ends; it is built when the data that ends it arrives."""
    ordered = sorted({r.id: r for r in readings}.values(), key=lambda r: (r.at, r.id))
    if policy.source is LegSource.IGNITION:
        spans = _ignition_spans(ordered, policy)
    else:
        spans = _motion_spans(ordered, policy)
    legs = [_leg(ordered, start, end, fences) for start, end in spans]
    if policy.source is LegSource.IGNITION:
        legs = [leg for leg in legs if leg.distance_km * 1000 >= policy.min_trip_m]
    return legs
