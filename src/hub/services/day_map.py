"""A day's drive legs for the map: each leg's path from the van's fixes, its times in the
page's zone, distance and how its driver and work order were decided; the stops between
legs; the geofences of the depots and work orders involved; and, on a technician's day,
where their phone punches were made (with the phone's accuracy)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.services.leg_decisions import DRIVER_WORDS, WORK_ORDER_WORDS, decisions
from hub.store.models import Depot, DriveLeg, Punch, Technician, TelemetryEvent, Vehicle, WorkOrder

PATH_POINTS = 200  # a leg's path is thinned to at most this many fixes


def technician_day(session: Session, technician: Technician, lo: datetime, hi: datetime) -> dict:
    """The technician's legs that started in [lo, hi), in their payroll zone."""
    legs = session.scalars(select(DriveLeg).where(DriveLeg.technician_id == technician.id, DriveLeg.start_at >= lo,
                                                  DriveLeg.start_at < hi).order_by(DriveLeg.start_at)).all()
    shown = _day(session, list(legs), technician.payroll_timezone, [technician.home_depot_id])
    punches = session.scalars(select(Punch).where(Punch.technician_id == technician.id, Punch.at >= lo, Punch.at < hi,
                                                  Punch.lat.is_not(None), Punch.lon.is_not(None)).order_by(Punch.at))
    zone = ZoneInfo(technician.payroll_timezone)
    return shown | {"punches": [{"at": _clock(p.at, zone), "action": p.action.replace("_", " "), "source": p.source,
                                 "lat": p.lat, "lon": p.lon, "accuracy_m": p.accuracy_m} for p in punches]}


def vehicle_day(session: Session, vehicle: Vehicle, zone: str, lo: datetime, hi: datetime) -> dict:
    """The van's legs that started in [lo, hi), whoever drove them."""
    legs = session.scalars(select(DriveLeg).where(DriveLeg.vehicle_id == vehicle.id, DriveLeg.start_at >= lo,
                                                  DriveLeg.start_at < hi).order_by(DriveLeg.start_at)).all()
    return _day(session, list(legs), zone, [vehicle.depot_id])


def _day(session: Session, legs: list[DriveLeg], zone_name: str, depot_ids: list[str]) -> dict:
    zone = ZoneInfo(zone_name)
    names = dict(session.execute(select(Technician.id, Technician.name).where(
        Technician.id.in_({leg.technician_id for leg in legs if leg.technician_id}))).all())
    decided = decisions(session, legs)
    shown = [{
        "id": leg.id, "start": _clock(leg.start_at, zone), "end": _clock(leg.end_at, zone),
        "km": f"{leg.distance_km:.1f}", "vehicle": leg.vehicle_id,
        "driver": names.get(leg.technician_id or "", "no driver"),
        "driver_how": DRIVER_WORDS[decided[leg.id].driver_by],
        "work_order": decided[leg.id].work_order or "none",
        "work_order_how": WORK_ORDER_WORDS[decided[leg.id].work_order_by],
        "path": _path(session, leg),
    } for leg in legs]
    stops = [{"at": _clock(leg.end_at, zone), "until": _clock(after.start_at, zone),
              "lat": leg.end_lat, "lon": leg.end_lon}
             for leg, after in zip(legs, legs[1:]) if leg.end_lat is not None and leg.end_lon is not None]
    return {"zone": zone_name, "legs": shown, "stops": stops, "punches": [],
            "fences": _fences(session, set(depot_ids) | {leg.origin_ref for leg in legs if leg.origin_kind == "depot"}
                              | {leg.destination_ref for leg in legs if leg.destination_kind == "depot"},
                              {leg.work_order_id for leg in legs} | {leg.origin_ref for leg in legs if leg.origin_kind == "site"}
                              | {leg.destination_ref for leg in legs if leg.destination_kind == "site"})}


def _clock(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%H:%M")


def _path(session: Session, leg: DriveLeg) -> list[list[float]]:
    T = TelemetryEvent
    fixes = session.execute(select(T.lat, T.lon).where(
        T.vehicle_id == leg.vehicle_id, T.type == "fix", T.at >= leg.start_at, T.at <= leg.end_at,
        T.lat.is_not(None), T.lon.is_not(None)).order_by(T.at)).all()
    points: list[list[float]] = [[lat, lon] for lat, lon in fixes if lat is not None and lon is not None]
    if len(points) > PATH_POINTS:
        step = len(points) / PATH_POINTS
        points = [points[int(i * step)] for i in range(PATH_POINTS)] + [points[-1]]
    ends: list[list[float]] = [[lat, lon] for lat, lon in ((leg.start_lat, leg.start_lon), (leg.end_lat, leg.end_lon))
                               if lat is not None and lon is not None]
    return points or ends


def _fences(session: Session, depot_ids: set, work_order_ids: set) -> list[dict]:
    depots = session.scalars(select(Depot).where(Depot.id.in_(depot_ids - {None}))).all()
    sites = session.scalars(select(WorkOrder).where(WorkOrder.id.in_(work_order_ids - {None}),
                                                   WorkOrder.lat.is_not(None), WorkOrder.lon.is_not(None))).all()
    return ([{"kind": "depot", "id": d.id, "name": d.name, "lat": d.lat, "lon": d.lon, "radius_m": d.geofence_radius_m}
             for d in depots]
            + [{"kind": "site", "id": w.id, "name": f"{w.id} {w.customer}", "lat": w.lat, "lon": w.lon,
                "radius_m": w.radius_m} for w in sites])
