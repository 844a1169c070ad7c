"""Rebuild the drive legs of the vans a batch brought telemetry for, once per van per batch.

For each van: find the stretch of its telemetry whose legs the new items can change
(`leg_window`), build the legs there with the pure builder (`hub.rules.legs`), attribute
them (`leg_attribution`) and replace the derived rows of that stretch. An ignition-wired
van is judged on its few ignition changes first: when the batch brought no ignition change
and nothing inside a finished leg, its legs cannot have changed and its fixes are not read,
so a van on the road costs a share of one small query per batch. A cab read names the
driver of every later leg up to the next read, so it extends the stretch to the van's
latest telemetry. Every query serves all the batch's vans at once, and what the batch
itself brought is taken from memory rather than read back.

What decides attribution without telemetry (a check-in, which usually comes after the van
stopped, an assignment, a geofence) is changed on the web, which asks for the legs it
affects to be rebuilt: `rebuild_over` an explicit span (`requested_rebuilds`), the same way.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cached_property
from operator import itemgetter

from sqlalchemy.orm import Session

from hub.rules.badges import BadgeIssue
from hub.rules.events import Place
from hub.rules.leg_attribution import (
    Assignment,
    AttributionPolicy,
    CheckIn,
    DriverRead,
    attribute,
)
from hub.rules.leg_window import Widen, Window, find_window
from hub.rules.legs import (
    Geofence,
    Leg,
    LegPolicy,
    LegSource,
    Reading,
    build_legs,
    ignition_spans,
    place_of,
)
from hub.store import badge_rows, leg_rows
from hub.store.telemetry_insert import COLUMNS

# How far back to look for a cut at first; widened while none is found, then unbounded.
FIRST_LOOK = {LegSource.IGNITION: timedelta(hours=12), LegSource.MOTION: timedelta(minutes=30)}
WIDENINGS = 4
FENCE_MARGIN_DEG = 0.1  # geofences are looked up this far around a stretch's fixes (~10 km)


TICK = timedelta(microseconds=1)
_ID, _AT, _TYPE, _ON = (COLUMNS.index(c) for c in ("id", "at", "type", "ignition_on"))
_LAT, _LON, _SPEED = (COLUMNS.index(c) for c in ("lat", "lon", "speed_kmh"))
_at, _type = itemgetter(_AT), itemgetter(_TYPE)


@dataclass(frozen=True)
class Touched:
    """What a batch brought for one van: its telemetry rows (tuples in
    `telemetry_insert.COLUMNS` order), their time span and kinds."""

    rows: tuple[tuple, ...]
    lo: datetime
    hi: datetime
    ignition: bool
    driver: bool

    @classmethod
    def of(cls, rows: list[tuple]) -> Touched:
        instants = list(map(_at, rows))
        types = set(map(_type, rows))
        return cls(tuple(rows), min(instants), max(instants), "ignition" in types, "driver" in types)

    @cached_property
    def _in_order(self) -> tuple[list[datetime], list[tuple]]:
        rows = sorted((row for row in self.rows if row[_TYPE] != "driver"), key=_at)
        return list(map(_at, rows)), rows

    def readings(self, since: datetime | None, until: datetime | None, fixes_only: bool = False) -> list[Reading]:
        """The batch's ignition changes and fixes (or fixes only) within [since, until]."""
        instants, rows = self._in_order
        part = rows[
            0 if since is None else bisect_left(instants, since):
            len(rows) if until is None else bisect_right(instants, until)
        ]
        return [
            Reading(row[_ID].int, row[_AT], row[_ON], row[_LAT], row[_LON], row[_SPEED] or 0.0)
            for row in part if not fixes_only or row[_TYPE] == "fix"
        ]


# Readings are named by their UUID's integer: the same order, hashed and compared in C.
def _reading(row) -> Reading:
    return Reading(row.id.int, row.at, on=row.ignition_on, lat=row.lat, lon=row.lon,
                   speed_kmh=row.speed_kmh or 0.0)


def _fix(row) -> Reading:
    return Reading(row.id.int, row.at, lat=row.lat, lon=row.lon, speed_kmh=row.speed_kmh)


def _change(row) -> Reading:
    return Reading(row.id.int, row.at, on=row.ignition_on)


def _inside(window: Window, at: datetime) -> bool:
    return window.start <= at and (window.end is None or at <= window.end)


class Stretches:
    """Reads vans' readings over stretches of time: from the database, except where the
    batch's own items are all there is (checked by count), which come from memory."""

    def __init__(self, session: Session, touched: dict[str, Touched]):
        self.session, self.touched = session, touched
        counts = leg_rows.reading_counts(session, {v: (t.lo, t.hi) for v, t in touched.items()})
        self.covered = {
            v for v, t in touched.items()
            if counts.get(v, 0) == len({row[_ID].int for row in t.rows if row[_TYPE] != "driver"})
        }

    def _split(self, vehicle: str, since: datetime | None, until: datetime | None, fixes_only: bool):
        """(database stretches, readings from memory)."""
        if vehicle not in self.covered:
            return [(vehicle, since, until)], []
        t = self.touched[vehicle]
        if (until is not None and until < t.lo) or (since is not None and since > t.hi):
            return [(vehicle, since, until)], []
        parts: list[tuple[str, datetime | None, datetime | None]] = []
        if since is None or since < t.lo:
            parts.append((vehicle, since, t.lo - TICK))
        if until is None or until > t.hi:
            parts.append((vehicle, t.hi + TICK, until))
        return parts, t.readings(since, until, fixes_only)

    def readings(self, stretches: Sequence[tuple[str, datetime | None, datetime | None]],
                 fixes_only: bool = False) -> dict[str, list[Reading]]:
        """Ignition changes and fixes (`fixes_only`: fixes) of each (van, since, until)."""
        out: dict[str, list[Reading]] = {v: [] for v, _, _ in stretches}
        query = []
        for vehicle, since, until in stretches:
            parts, memory = self._split(vehicle, since, until, fixes_only)
            query += parts
            out[vehicle] += memory
        load, make = (leg_rows.fixes, _fix) if fixes_only else (leg_rows.readings, _reading)
        for row in load(self.session, query):
            out[row.vehicle_id].append(make(row))
        return out


def _windows(
    stretches: Stretches, touched: dict[str, Touched], policies: dict[str, LegPolicy]
) -> tuple[dict[str, Window], dict[str, list[Reading]]]:
    """Each van's window, and what was read to find it (all readings for motion vans,
    ignition changes for the others)."""
    looks = {v: FIRST_LOOK[policies[v].source] for v in touched}
    pending, windows, seen = set(touched), {}, {}
    for attempt in range(WIDENINGS + 1):
        ranges = {v: (None if attempt == WIDENINGS else touched[v].lo - looks[v], None) for v in pending}
        motion = [(v, *r) for v, r in ranges.items() if policies[v].source is LegSource.MOTION]
        loaded: dict[str, list[Reading]] = {v: [] for v in pending}
        changes = {v: r for v, r in ranges.items() if policies[v].source is LegSource.IGNITION}
        for row in leg_rows.ignition_changes(stretches.session, changes):
            loaded[row.vehicle_id].append(_change(row))
        for vehicle, readings in stretches.readings(motion).items():
            loaded[vehicle] += readings
        for vehicle in sorted(pending):
            found = find_window(loaded[vehicle], ranges[vehicle][0], None, touched[vehicle].lo,
                                touched[vehicle].hi, policies[vehicle])
            if isinstance(found, Widen):
                looks[vehicle] *= 4
            else:
                windows[vehicle], seen[vehicle] = found, loaded[vehicle]
        pending -= set(windows)
        if not pending:
            break
    return windows, seen


def _may_change(window: Window, seen: list[Reading], touched: Touched, policy: LegPolicy) -> bool:
    """Whether the van's legs in `window` can differ from those stored. Without a new
    ignition change the spans stay as they were, and an item outside every finished span
    is in no leg."""
    if policy.source is LegSource.MOTION or touched.ignition or touched.driver:
        return True
    spans = ignition_spans([r for r in seen if _inside(window, r.at)], policy)
    return any(start <= row[_AT] <= end for start, end in spans for row in touched.rows)


def _placed(session: Session, legs: dict[str, list[Leg]]) -> dict[str, list[Leg]]:
    """The legs with their origin and destination geofences: the same as building them
    with the fences, but only the fences near their ends are read."""
    ends = [p for ls in legs.values() for leg in ls for p in (leg.start_position, leg.end_position) if p]
    if not ends:
        return legs
    box = (min(p[0] for p in ends) - FENCE_MARGIN_DEG, min(p[1] for p in ends) - FENCE_MARGIN_DEG,
           max(p[0] for p in ends) + FENCE_MARGIN_DEG, max(p[1] for p in ends) + FENCE_MARGIN_DEG)
    depots, sites = leg_rows.geofences(session, box)
    fences = [Geofence(Place.DEPOT, d.id, d.lat, d.lon, d.geofence_radius_m) for d in depots] + [
        Geofence(Place.SITE, s.id, s.lat, s.lon, s.radius_m) for s in sites]

    def place(leg: Leg) -> Leg:
        origin, origin_ref = place_of(leg.start_position, fences)
        destination, destination_ref = place_of(leg.end_position, fences)
        return replace(leg, origin=origin, origin_ref=origin_ref, destination=destination,
                       destination_ref=destination_ref)

    return {v: [place(leg) for leg in ls] for v, ls in legs.items()}


def _row(vehicle: str, attributed, now: datetime) -> dict:
    leg: Leg = attributed.leg
    start, end = leg.start_position or (None, None), leg.end_position or (None, None)
    return {
        "vehicle_id": vehicle, "technician_id": attributed.technician_id,
        "driver_source": attributed.driver_source, "start_at": leg.start, "end_at": leg.end,
        "start_lat": start[0], "start_lon": start[1], "end_lat": end[0], "end_lon": end[1],
        "distance_km": leg.distance_km, "origin_kind": leg.origin.value, "origin_ref": leg.origin_ref,
        "destination_kind": leg.destination.value, "destination_ref": leg.destination_ref,
        "work_order_id": attributed.work_order_id, "work_order_source": attributed.work_order_source,
        "built_at": now,
    }


def _attributed_rows(
    session: Session, legs: dict[str, list[Leg]], now: datetime, policy: AttributionPolicy
) -> list[dict]:
    legs = {v: ls for v, ls in legs.items() if ls}
    if not legs:
        return []
    grace = timedelta(seconds=policy.driver_badge_grace_s)
    spans = {v: (ls[0].start, ls[-1].end) for v, ls in legs.items()}
    reads: dict[str, list[DriverRead]] = {v: [] for v in legs}
    for r in leg_rows.driver_reads(session, {v: (ls[0].start, ls[-1].start + grace) for v, ls in legs.items()}):
        reads[r.vehicle_id].append(DriverRead(r.at, r.badge_id))
    issues = [BadgeIssue(*r) for r in badge_rows.badge_issues(
        session, {read.badge_id for rs in reads.values() for read in rs})]
    assigned: dict[str, list[Assignment]] = {v: [] for v in legs}
    for row in leg_rows.assignments(session, spans):
        assigned[row.vehicle_id].append(Assignment(row.technician_id, row.starts_at, row.ends_at, row[4]))
    drivers = {i.technician_id for i in issues} | {a.technician_id for a_s in assigned.values() for a in a_s}
    visits = [CheckIn(tech, work_order, at) for tech, work_order, at in leg_rows.check_ins(
        session, drivers, min(s for s, _ in spans.values()) - timedelta(seconds=policy.check_in_before_s),
        max(e for _, e in spans.values()) + timedelta(seconds=policy.check_in_after_s))
        if work_order is not None]  # always, by the query: says so to the type checker
    return [
        _row(vehicle, a, now)
        for vehicle in sorted(legs)
        for a in attribute(legs[vehicle], reads[vehicle], issues, assigned[vehicle], visits, policy)
    ]


def _build(
    stretches: Stretches,
    builds: dict[str, Window],
    seen: dict[str, list[Reading]],
    policies: dict[str, LegPolicy],
    now: datetime,
    attribution: AttributionPolicy,
) -> int:
    """Build, attribute and write the legs of each van's window; the number written.
    An ignition-wired van's legs need only the fixes inside its ignition spans."""
    session = stretches.session
    loaded: dict[str, list[Reading]] = {}
    spans = []
    for vehicle, window in builds.items():
        loaded[vehicle] = [r for r in seen[vehicle] if _inside(window, r.at)]
        if policies[vehicle].source is LegSource.IGNITION:
            spans += [(vehicle, a, b) for a, b in ignition_spans(loaded[vehicle], policies[vehicle])]
    for vehicle, fixes in stretches.readings(spans, fixes_only=True).items():
        loaded[vehicle] += fixes
    legs = _placed(session, {
        vehicle: [leg for leg in build_legs(loaded[vehicle], policies[vehicle], [])
                  if window.end is None or leg.start < window.end]
        for vehicle, window in builds.items()
    })
    rows = _attributed_rows(session, legs, now, attribution)
    leg_rows.replace_legs(session, {v: (w.start, w.end) for v, w in builds.items()}, rows)
    return len(rows)


def _windows_of(
    session: Session, touched: dict[str, Touched], leg_policy: LegPolicy
) -> tuple[dict[str, LegPolicy], Stretches, dict[str, Window], dict[str, list[Reading]]]:
    """Lock the known vans among `touched` and find each one's window: (their policies,
    stretches, windows, what was read to find them)."""
    sources = leg_rows.lock_vehicles(session, set(touched))
    policies = {v: replace(leg_policy, source=LegSource(s)) for v, s in sources.items()}
    known = {v: touched[v] for v in sources}
    stretches = Stretches(session, known)
    windows, seen = _windows(stretches, known, policies)
    return policies, stretches, windows, seen


def rebuild_legs(
    session: Session,
    touched: dict[str, Touched],
    now: datetime,
    leg_policy: LegPolicy = LegPolicy(),
    attribution: AttributionPolicy = AttributionPolicy(),
) -> int:
    """Vans the hub does not know get no legs. Returns the number of legs written."""
    policies, stretches, windows, seen = _windows_of(session, touched, leg_policy)
    builds = {
        v: Window(w.start, None) if touched[v].driver else w
        for v, w in windows.items() if _may_change(w, seen[v], touched[v], policies[v])
    }
    return _build(stretches, builds, seen, policies, now, attribution) if builds else 0


def rebuild_over(
    session: Session,
    spans: dict[str, tuple[datetime, datetime | None]],
    now: datetime,
    leg_policy: LegPolicy = LegPolicy(),
    attribution: AttributionPolicy = AttributionPolicy(),
) -> int:
    """Rebuild every leg of each van with an instant in its span [since, until] (None: to
    its latest telemetry), after something that decides attribution changed rather than
    telemetry. The window around a span is found as for telemetry arriving at its ends, so
    the legs are those a build over all the van's telemetry gives. Returns the legs written."""
    touched = {v: Touched((), since, since if until is None else max(since, until), False, False)
               for v, (since, until) in spans.items()}
    policies, stretches, windows, seen = _windows_of(session, touched, leg_policy)
    builds = {v: Window(w.start, None) if spans[v][1] is None else w for v, w in windows.items()}
    return _build(stretches, builds, seen, policies, now, attribution) if builds else 0
