"""A van's drive legs over a span of days, each with how its driver and work order were
decided (issue 20 #6): by the ingest's attribution (cab badge, the van's assignment,
a supervisor's correction naming the driver; check-in, geofence), or by an attach_leg
correction of the driver's record, which wins as it does in the timesheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.services.leg_drivers import vans
from hub.services.records_view import local_bounds
from hub.services.scope import OutOfScope, Viewer
from hub.store.models import Correction, Depot, DriveLeg, Vehicle

# how the stored attribution reads in the API
DRIVER_DECIDED = {"badge": "cab_badge", "assignment": "assignment", "correction": "supervisor_correction"}
WORK_ORDER_DECIDED = {"check_in": "check_in", "geofence": "geofence"}


@dataclass(frozen=True)
class VanLeg:
    id: int
    start: datetime  # UTC
    end: datetime
    distance_km: float
    origin: str
    destination: str
    driver: str | None
    driver_decided_by: str  # cab_badge | assignment | supervisor_correction | none
    work_order: str | None
    work_order_decided_by: str  # check_in | geofence | supervisor_correction | none


@dataclass(frozen=True)
class VanLegs:
    vehicle_id: str
    depot_id: str
    zone: str
    source: str  # ignition | motion
    legs: list[VanLeg]


def _attached(session: Session, legs: list[DriveLeg]) -> dict[int, str]:
    """leg id -> the work order the latest standing attach_leg correction of its driver's
    record gives it (the order corrections apply in)."""
    by_ref = {f"leg-{leg.id}": leg for leg in legs if leg.technician_id is not None}
    if not by_ref:
        return {}
    rows = list(session.scalars(select(Correction).where(
        Correction.kind == "attach_leg", Correction.replaces_id.in_(sorted(by_ref))).order_by(Correction.id)))
    voided = set(session.scalars(select(Correction.replaces_id).where(
        Correction.kind == "void_correction", Correction.replaces_id.in_([f"c{r.id}" for r in rows]))))
    out = {}
    for row in rows:
        leg = by_ref[row.replaces_id or ""]
        if f"c{row.id}" not in voided and row.technician_id == leg.technician_id and (row.values or {}).get("work_order"):
            out[leg.id] = row.values["work_order"]
    return out


def van_legs(session: Session, viewer: Viewer, vehicle_id: str, start: date, end: date) -> VanLegs:
    """The van's legs starting on `start`..`end` (days on its depot's clock), in time order;
    OutOfScope for a van the user may not see."""
    found = session.execute(select(Vehicle, Depot).join(Depot, Depot.id == Vehicle.depot_id)
                            .where(Vehicle.id == vehicle_id, vans(viewer))).first()
    if found is None:
        raise OutOfScope(f"no vehicle {vehicle_id}")
    vehicle, depot = found
    lo, hi = local_bounds(start, end, depot.timezone)
    rows = list(session.scalars(select(DriveLeg).where(
        DriveLeg.vehicle_id == vehicle.id, DriveLeg.start_at >= lo, DriveLeg.start_at < hi)
        .order_by(DriveLeg.start_at, DriveLeg.id)))
    attached = _attached(session, rows)
    legs = []
    for row in rows:
        order, order_by = row.work_order_id, WORK_ORDER_DECIDED.get(row.work_order_source or "", "none")
        if row.id in attached:
            order, order_by = attached[row.id], "supervisor_correction"
        elif order is None:
            order_by = "none"
        legs.append(VanLeg(
            row.id, row.start_at, row.end_at, row.distance_km, row.origin_kind, row.destination_kind,
            row.technician_id, DRIVER_DECIDED.get(row.driver_source or "", "none") if row.technician_id else "none",
            order, order_by))
    return VanLegs(vehicle.id, depot.id, depot.timezone, vehicle.leg_source, legs)

