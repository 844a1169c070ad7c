"""A van's drive legs over a span of days, each with how its driver and work order were
decided (issue 20 #6; `leg_decisions`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.services.leg_decisions import decisions
from hub.services.leg_drivers import vans
from hub.services.records_view import local_bounds
from hub.services.scope import OutOfScope, Viewer
from hub.store.models import Depot, DriveLeg, Vehicle


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
    decided = decisions(session, rows)
    legs = [VanLeg(row.id, row.start_at, row.end_at, row.distance_km, row.origin_kind, row.destination_kind,
                   row.technician_id, decided[row.id].driver_by, decided[row.id].work_order, decided[row.id].work_order_by)
            for row in rows]
    return VanLegs(vehicle.id, depot.id, depot.timezone, vehicle.leg_source, legs)

