"""The queries behind drive-leg rebuilding: a van's telemetry over a stretch of time, its
derived legs (deleted and rewritten; raw telemetry never is), and what attributes a leg to
a driver and a work order. Rows out, rows in; the decisions are made elsewhere."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, and_, delete, insert, or_, select
from sqlalchemy.orm import Session

from hub.store.organisation import Depot, Vehicle, VehicleAssignment, WorkOrder
from hub.store.raw_events import TelemetryEvent
from hub.store.time_records import DriveLeg, WorkOrderVisit

T = TelemetryEvent


def lock_vehicles(session: Session, vehicle_ids: set[str]) -> dict[str, str]:
    """The known vehicles among `vehicle_ids` and their leg source, locked until commit,
    so two ingest processes rebuild one van's legs one after the other."""
    rows = session.execute(
        select(Vehicle.id, Vehicle.leg_source).where(Vehicle.id.in_(sorted(vehicle_ids)))
        .order_by(Vehicle.id).with_for_update()
    )
    return dict(rows.all())


def _between(since: datetime | None, until: datetime | None):
    return and_(
        T.at >= since if since is not None else True,
        T.at <= until if until is not None else True,
    )


def ignition_changes(
    session: Session, ranges: dict[str, tuple[datetime | None, datetime | None]]
) -> list[Row]:
    """(vehicle_id, id, at, ignition_on) of the vans' ignition items within each range."""
    if not ranges:
        return []
    return session.execute(
        select(T.vehicle_id, T.id, T.at, T.ignition_on)
        .where(T.type == "ignition")
        .where(or_(*(and_(T.vehicle_id == v, _between(*r)) for v, r in ranges.items())))
    ).all()


def readings(
    session: Session, ranges: dict[str, tuple[datetime | None, datetime | None]]
) -> list[Row]:
    """(vehicle_id, id, at, ignition_on, lat, lon, speed_kmh) of the vans' ignition and fix
    items within each range."""
    if not ranges:
        return []
    return session.execute(
        select(T.vehicle_id, T.id, T.at, T.ignition_on, T.lat, T.lon, T.speed_kmh)
        .where(T.type != "driver")
        .where(or_(*(and_(T.vehicle_id == v, _between(*r)) for v, r in ranges.items())))
    ).all()


def driver_reads(session: Session, vehicle_id: str, since: datetime, until: datetime | None) -> list[Row]:
    """(at, badge_id) of the cab reads from the last one before `since` up to `until`."""
    last_before = session.scalar(
        select(T.at).where(T.vehicle_id == vehicle_id, T.type == "driver", T.at < since)
        .order_by(T.at.desc()).limit(1)
    )
    return session.execute(
        select(T.at, T.badge_id)
        .where(T.vehicle_id == vehicle_id, T.type == "driver", _between(last_before or since, until))
    ).all()


def assignments(session: Session, vehicle_id: str, since: datetime, until: datetime | None) -> list[Row]:
    """(technician_id, starts_at, ends_at) of the van's assignments overlapping the stretch."""
    A = VehicleAssignment
    return session.execute(
        select(A.technician_id, A.starts_at, A.ends_at).where(
            A.vehicle_id == vehicle_id,
            A.starts_at <= until if until is not None else True,
            or_(A.ends_at.is_(None), A.ends_at > since),
        )
    ).all()


def check_ins(
    session: Session, technician_ids: set[str], since: datetime, until: datetime
) -> list[Row]:
    """(technician_id, work_order_id, check_in_at) of these technicians' check-ins."""
    if not technician_ids:
        return []
    V = WorkOrderVisit
    return session.execute(
        select(V.technician_id, V.work_order_id, V.check_in_at).where(
            V.technician_id.in_(sorted(technician_ids)), V.check_in_at >= since,
            V.check_in_at <= until,
        )
    ).all()


def geofences(session: Session, box: tuple[float, float, float, float]) -> tuple[list[Row], list[Row]]:
    """Depots and work-order sites (id, lat, lon, radius_m) within `box`
    (min lat, min lon, max lat, max lon)."""
    south, west, north, east = box
    depots = session.execute(
        select(Depot.id, Depot.lat, Depot.lon, Depot.geofence_radius_m).where(
            Depot.lat.between(south, north), Depot.lon.between(west, east))
    ).all()
    sites = session.execute(
        select(WorkOrder.id, WorkOrder.lat, WorkOrder.lon, WorkOrder.radius_m).where(
            WorkOrder.lat.is_not(None), WorkOrder.lat.between(south, north),
            WorkOrder.lon.between(west, east))
    ).all()
    return depots, sites


def replace_legs(
    session: Session, vehicle_id: str, start: datetime, end: datetime | None, rows: list[dict]
) -> None:
    """Delete the van's derived legs starting within [start, end) and write `rows`."""
    session.execute(
        delete(DriveLeg).where(
            DriveLeg.vehicle_id == vehicle_id, DriveLeg.start_at >= start,
            DriveLeg.start_at < end if end is not None else True,
        )
    )
    if rows:
        session.execute(insert(DriveLeg), rows)
