"""A van's ignition changes and GPS fixes -> drive legs. Pure; the same legs whatever
order the telemetry arrived in (it is sorted here), so late data only means a rebuild.

With an ignition wire, a leg runs from ignition on to ignition off; an engine-off stop
shorter than `merge_stop_s` (a fuel stop) stays inside one leg, and a leg shorter than
`min_trip_m` (idling in the yard) is no trip. Without a wire, motion decides, as Traccar
does: a trip starts after `min_trip_s` or `min_trip_m` of movement and ends after
`min_parking_s` without it, or at a data gap of `gap_s`. Two rules make that hold on real
receivers:

- A silence of `min_parking_s` or more but under `gap_s` (a tunnel, a dead zone) keeps the
  trip when the fixes on both sides agree with driving through it: further apart than
  `stop_radius_m`, at an average speed between `bridge_min_kmh` and `bridge_max_kmh`
  (Traccar keeps a trip across gaps under an hour, `report.trip.minimalNoDataDuration`).
- Displacement as well as speed (stay-point detection, Li et al. 2008, as trackintel's
  `generate_staypoints(method="sliding")`): staying within `stop_radius_m` of a fix for
  `stop_dwell_s` is a stop whatever GPS jitter says of the speed; a trip starts only once
  the van is `stop_radius_m` from where it rested, and a leg must get further than that
  from its start.
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
    stop_radius_m: float = 100.0
    stop_dwell_s: int = 300
    bridge_min_kmh: float = 10.0
    bridge_max_kmh: float = 200.0


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


class _Plane:
    """The fixes on a flat earth (equirectangular, in radians, a degree of longitude
    scaled as at the first fix), so that "further apart than `radius_m`" is a few
    multiplications. Hundreds of kilometres north or south of the first fix the scale is a
    few per cent off, which moves a 100 m radius by a few metres."""

    def __init__(self, fixes: list[Reading], radius_m: float):
        self.y = list(map(math.radians, cast(list[float], [f.lat for f in fixes])))
        lam = list(map(math.radians, cast(list[float], [f.lon for f in fixes])))
        lam0, scale = lam[0], math.cos(self.y[0])
        if max(lam) - min(lam) > math.pi:  # across 180 degrees: measured the short way round
            lam = [(a - lam0 + math.pi) % (2 * math.pi) - math.pi + lam0 for a in lam]
        self.x = [(a - lam0) * scale for a in lam]
        self.limit = (radius_m / EARTH_M) ** 2

    def far(self, i: int, j: int) -> bool:
        x, y = self.x[j] - self.x[i], self.y[j] - self.y[i]
        return x * x + y * y > self.limit


def _bridged(fixes: list[Reading], ats: list[datetime], policy: LegPolicy) -> list[bool]:
    """Which fixes end a silence (of `min_parking_s` up to `gap_s`) that the van drove
    through: further than `stop_radius_m` from the fix before it, at a driving speed."""
    parking, gap = timedelta(seconds=policy.min_parking_s), timedelta(seconds=policy.gap_s)
    out = [False] + [parking <= b - a < gap for a, b in zip(ats, ats[1:])]
    for k in [k for k, silent in enumerate(out) if silent]:
        apart = metres(_position(fixes[k - 1]), _position(fixes[k]))
        kmh = apart / (ats[k] - ats[k - 1]).total_seconds() * 3.6
        out[k] = apart > policy.stop_radius_m and policy.bridge_min_kmh <= kmh <= policy.bridge_max_kmh
    return out


def motion_flags(fixes: list[Reading], policy: LegPolicy) -> list[bool]:
    """Which of `fixes` (in order) show the van moving: a speed of `moving_kmh` or more, or
    the far side of a silence it drove through."""
    bridged = _bridged(fixes, [f.at for f in fixes], policy)
    return [f.speed_kmh >= policy.moving_kmh or b for f, b in zip(fixes, bridged)]


def parked(ats: list[datetime], moving: list[datetime], k: int, parking: timedelta) -> bool:
    """Whether the fix at `ats[k]` is the first of its instant, no fix at that instant
    moves, and none moved in the `parking` before it (as far as the fixes go): no trip is
    under way there, and what follows does not depend on what came before. `ats`: the
    fixes' instants in order; `moving`: those of the moving fixes (`motion_flags`)."""
    at = ats[k]
    if k > 0 and ats[k - 1] == at:
        return False
    i = bisect_right(moving, at)
    return i == 0 or (moving[i - 1] != at and moving[i - 1] <= at - parking)


def _motion_spans(
    fixes: list[Reading], ats: list[datetime], policy: LegPolicy
) -> list[tuple[datetime, datetime]]:
    """Trips by motion (`ats`: the fixes' instants), found as (index of the first fix,
    instant of the end, index past the trip's fixes). A trip ends `min_parking_s` after
    the last moving fix, at a gap, or when the van has stayed within `stop_radius_m` of a
    fix (`anchor`) for `stop_dwell_s`: then at its last moving fix before it first settled
    there. Out of a trip, `rest` is where the van rests: a trip starts at a moving fix
    further than `stop_radius_m` from it, from the first of the moving fixes leading there."""
    if not fixes:
        return []
    near = _Plane(fixes, policy.stop_radius_m)
    xs, ys, limit = near.x, near.y, near.limit
    bridged = _bridged(fixes, ats, policy)
    fast = [f.speed_kmh >= policy.moving_kmh for f in fixes]
    moving = [a or b for a, b in zip(fast, bridged)]
    moving_ats = [at for at, m in zip(ats, moving) if m]
    gap, parking = timedelta(seconds=policy.gap_s), timedelta(seconds=policy.min_parking_s)
    dwell = timedelta(seconds=policy.stop_dwell_s)
    trips: list[tuple[int, datetime, int]] = []
    first: int | None = None
    rest = anchor = 0
    floor = -1  # the last fix of the trip before: a trip starts after it
    last_moving = datetime.min  # read only once a trip has begun (`first` set), which sets it
    arrived: datetime | None = None

    def end(at: datetime, k: int) -> int:
        nonlocal first
        ended = bisect_right(ats, at, 0, k + 1)
        trips.append((cast(int, first), at, ended))
        first = None
        return ended - 1

    for k, at in enumerate(ats):
        after_gap = k > 0 and at - ats[k - 1] >= gap
        if first is not None and (after_gap or (not bridged[k] and at - last_moving >= parking)):
            floor = rest = end(last_moving, k)
        if first is None:
            if after_gap or (not moving[k] and parked(ats, moving_ats, k, parking)):
                rest = k
            elif moving[k] and (bridged[k] or near.far(rest, k)):
                j = k
                while j - 1 > floor and moving[j - 1] and ats[j] - ats[j - 1] < gap:
                    j -= 1
                # from the fix before the first moving one, unless a gap or the trip before ends there
                first = j - 1 if j - 1 > floor and ats[j] - ats[j - 1] < gap else j
                last_moving, anchor, arrived = at, k, None
            elif not moving[k] and near.far(rest, k):
                rest = k  # drifting, or pushed: where it rests now
            continue
        if moving[k]:
            last_moving = at
        dx, dy = xs[k] - xs[anchor], ys[k] - ys[anchor]  # near.far(anchor, k), inline: every fix of a trip
        if bridged[k] or dx * dx + dy * dy > limit:
            anchor, arrived = k, None
        if arrived is None and not fast[k]:
            arrived = last_moving
        if at - ats[anchor] >= dwell:
            floor = end(ats[anchor] if arrived is None else arrived, k)
            rest = anchor
    if first is not None and ats[-1] - last_moving >= parking:
        end(last_moving, len(ats) - 1)
    return [
        (ats[a], b) for a, b, ended in trips
        if ((b - ats[a]).total_seconds() >= policy.min_trip_s or _travelled(fixes[a:ended]) >= policy.min_trip_m)
        and any(near.far(a, i) for i in range(ended - 1, a, -1))
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
