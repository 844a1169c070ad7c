"""Rebuild the drive legs of the vans a batch brought telemetry for, once per van per batch.

For each van: find the stretch of its telemetry whose legs the new items can change
(`leg_window`), build the legs there with the pure builder (`hub.rules.legs`), attribute
them (`leg_attribution`) and replace the derived rows of that stretch. Ignition-wired vans
are judged on their few ignition changes first; their fixes are read only when a leg has
ended in the stretch, so a van on the road costs one small query per batch.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from hub.ingest.leg_attribution import (
    Assignment,
    AttributionPolicy,
    CheckIn,
    DriverRead,
    attribute,
)
from hub.ingest.badges import BadgeIssue
from hub.ingest.leg_window import Widen, Window, find_window
from hub.rules.events import Place
from hub.rules.legs import Geofence, Leg, LegPolicy, LegSource, Reading, build_legs
from hub.store import badge_rows, leg_rows

# How far back to look for a cut at first; doubled while none is found, then unbounded.
FIRST_LOOK = {LegSource.IGNITION: timedelta(hours=12), LegSource.MOTION: timedelta(minutes=30)}
WIDENINGS = 4
FENCE_MARGIN_DEG = 0.1  # geofences are looked up this far around a stretch's fixes (~10 km)

Span = tuple[datetime, datetime]


def _reading(row) -> Reading:
    return Reading(str(row.id), row.at, on=row.ignition_on, lat=row.lat, lon=row.lon,
                   speed_kmh=row.speed_kmh or 0.0)


def _change(row) -> Reading:
    return Reading(str(row.id), row.at, on=row.ignition_on)


def _windows(
    session: Session, touched: dict[str, Span], policies: dict[str, LegPolicy]
) -> tuple[dict[str, Window], dict[str, list[Reading]]]:
    """Each van's window, and what was read to find it (all readings for motion vans,
    ignition changes for the others)."""
    looks = {v: FIRST_LOOK[policies[v].source] for v in touched}
    pending, windows, seen = set(touched), {}, {}
    for attempt in range(WIDENINGS + 1):
        ranges = {
            v: (None if attempt == WIDENINGS else touched[v][0] - looks[v], None) for v in pending
        }
        motion = {v: r for v, r in ranges.items() if policies[v].source is LegSource.MOTION}
        rows = leg_rows.ignition_changes(session, {v: r for v, r in ranges.items() if v not in motion})
        loaded: dict[str, list[Reading]] = {v: [] for v in pending}
        for row in rows:
            loaded[row.vehicle_id].append(_change(row))
        for row in leg_rows.readings(session, motion):
            loaded[row.vehicle_id].append(_reading(row))
        for vehicle in sorted(pending):
            lo, hi = touched[vehicle]
            found = find_window(loaded[vehicle], ranges[vehicle][0], None, lo, hi, policies[vehicle])
            if isinstance(found, Widen):
                looks[vehicle] *= 4
                continue
            windows[vehicle], seen[vehicle] = found, loaded[vehicle]
        pending -= set(windows)
        if not pending:
            break
    return windows, seen


def _inside(window: Window, at: datetime) -> bool:
    return window.start <= at and (window.end is None or at <= window.end)


def _needs_build(window: Window, seen: list[Reading], policy: LegPolicy) -> bool:
    """An ignition-wired van has legs in the window only if its ignition went off there;
    without that, no leg ended there before the batch either."""
    if policy.source is LegSource.MOTION:
        return True
    return any(r.on is False and _inside(window, r.at) for r in seen)


def _fences(session: Session, readings: list[Reading]) -> list[Geofence]:
    fixes = [r for r in readings if r.lat is not None]
    if not fixes:
        return []
    box = (min(r.lat for r in fixes) - FENCE_MARGIN_DEG, min(r.lon for r in fixes) - FENCE_MARGIN_DEG,
           max(r.lat for r in fixes) + FENCE_MARGIN_DEG, max(r.lon for r in fixes) + FENCE_MARGIN_DEG)
    depots, sites = leg_rows.geofences(session, box)
    return [Geofence(Place.DEPOT, d.id, d.lat, d.lon, d.geofence_radius_m) for d in depots] + [
        Geofence(Place.SITE, s.id, s.lat, s.lon, s.radius_m) for s in sites]


def _attributed_rows(
    session: Session, vehicle: str, legs: list[Leg], now: datetime, policy: AttributionPolicy
) -> list[dict]:
    if not legs:
        return []
    first, last = legs[0].start, legs[-1].end
    grace = timedelta(seconds=policy.driver_badge_grace_s)
    reads = [DriverRead(r.at, r.badge_id)
             for r in leg_rows.driver_reads(session, vehicle, first, legs[-1].start + grace)]
    issues = [BadgeIssue(*r) for r in badge_rows.badge_issues(session, {r.badge_id for r in reads})]
    assigned = [Assignment(*r) for r in leg_rows.assignments(session, vehicle, first, last)]
    drivers = {i.technician_id for i in issues} | {a.technician_id for a in assigned}
    visits = [CheckIn(*r) for r in leg_rows.check_ins(
        session, drivers, first - timedelta(seconds=policy.check_in_before_s),
        last + timedelta(seconds=policy.check_in_after_s))]
    return [
        {
            "vehicle_id": vehicle, "technician_id": a.technician_id, "driver_source": a.driver_source,
            "start_at": a.leg.start, "end_at": a.leg.end,
            "start_lat": a.leg.start_position[0] if a.leg.start_position else None,
            "start_lon": a.leg.start_position[1] if a.leg.start_position else None,
            "end_lat": a.leg.end_position[0] if a.leg.end_position else None,
            "end_lon": a.leg.end_position[1] if a.leg.end_position else None,
            "distance_km": a.leg.distance_km,
            "origin_kind": a.leg.origin.value, "origin_ref": a.leg.origin_ref,
            "destination_kind": a.leg.destination.value, "destination_ref": a.leg.destination_ref,
            "work_order_id": a.work_order_id, "work_order_source": a.work_order_source,
            "built_at": now,
        }
        for a in attribute(legs, reads, issues, assigned, visits, policy)
    ]


def rebuild_legs(
    session: Session,
    touched: dict[str, Span],
    now: datetime,
    leg_policy: LegPolicy = LegPolicy(),
    attribution: AttributionPolicy = AttributionPolicy(),
) -> int:
    """`touched`: van -> (earliest, latest) instant of the items the batch brought. Vans
    the hub does not know get no legs. Returns the number of legs written."""
    sources = leg_rows.lock_vehicles(session, set(touched))
    policies = {v: replace(leg_policy, source=LegSource(s)) for v, s in sources.items()}
    windows, seen = _windows(session, {v: touched[v] for v in sources}, policies)
    builds = {v: w for v, w in windows.items() if _needs_build(w, seen[v], policies[v])}
    loaded: dict[str, list[Reading]] = {v: [] for v in builds}
    ignition = {v: (w.start, w.end) for v, w in builds.items() if policies[v].source is LegSource.IGNITION}
    for row in leg_rows.readings(session, ignition):
        loaded[row.vehicle_id].append(_reading(row))
    for vehicle, window in builds.items():
        if vehicle not in ignition:
            loaded[vehicle] = [r for r in seen[vehicle] if _inside(window, r.at)]
    fences = _fences(session, [r for rs in loaded.values() for r in rs])
    written = 0
    for vehicle in sorted(builds):
        window = builds[vehicle]
        legs = [leg for leg in build_legs(loaded[vehicle], policies[vehicle], fences)
                if window.end is None or leg.start < window.end]
        rows = _attributed_rows(session, vehicle, legs, now, attribution)
        leg_rows.replace_legs(session, vehicle, window.start, window.end, rows)
        written += len(rows)
    return written
