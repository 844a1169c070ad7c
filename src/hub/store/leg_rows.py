"""The queries behind drive-leg rebuilding: vans' telemetry over stretches of time, their
derived legs (deleted and rewritten; raw telemetry never is), and what attributes a leg to
a driver and a work order. Each query serves every van of a batch at once.
Rows out, rows in; the decisions are made elsewhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import cast
from uuid import UUID

from sqlalchemy import Row, Table, and_, delete, func, insert, or_, select, true
from sqlalchemy.orm import Session, aliased

from hub.store.organisation import Depot, Vehicle, VehicleAssignment, WorkOrder
from hub.store.raw_events import NOT_FIX, TelemetryEvent
from hub.store.time_records import DriveLeg, WorkOrderVisit

T = TelemetryEvent
Ranges = Mapping[str, tuple[datetime | None, datetime | None]]  # van -> (since, until); None: open


def lock_vehicles(session: Session, vehicle_ids: set[str]) -> dict[str, str]:
    """The known vehicles among `vehicle_ids` and their leg source, locked until commit,
    so two ingest processes rebuild one van's legs one after the other."""
    rows = session.connection().execute(
        select(Vehicle.id, Vehicle.leg_source).where(Vehicle.id.in_(sorted(vehicle_ids)))
        .order_by(Vehicle.id).with_for_update()
    )
    return dict(rows.all())


def _within(column, since: datetime | None, until: datetime | None):
    return and_(column >= since if since is not None else true(),
                column <= until if until is not None else true())


def _per_van(ranges: Ranges, column=T.at):
    return or_(*(and_(T.vehicle_id == v, _within(column, *r)) for v, r in sorted(ranges.items())))


def ignition_changes(session: Session, ranges: Ranges) -> Sequence[Row[str, UUID, datetime, bool | None]]:
    """(vehicle_id, id, at, ignition_on) of the vans' ignition items within each range."""
    if not ranges:
        return []
    return session.connection().execute(
        select(T.vehicle_id, T.id, T.at, T.ignition_on)
        .where(NOT_FIX, T.type == "ignition", _per_van(ranges))
    ).all()


def readings(session: Session, stretches: list[tuple[str, datetime | None, datetime | None]]
             ) -> Sequence[Row[str, UUID, datetime, bool | None, float | None, float | None, float | None]]:
    """(vehicle_id, id, at, ignition_on, lat, lon, speed_kmh) of the ignition and fix items
    within each (van, since, until); None: open."""
    if not stretches:
        return []
    return session.connection().execute(
        select(T.vehicle_id, T.id, T.at, T.ignition_on, T.lat, T.lon, T.speed_kmh).where(
            T.type != "driver",
            or_(*(and_(T.vehicle_id == v, _within(T.at, a, b)) for v, a, b in sorted(stretches, key=str))),
        )
    ).all()


def fixes(session: Session, stretches: list[tuple[str, datetime, datetime]]
          ) -> Sequence[Row[str, UUID, datetime, float | None, float | None, float | None]]:
    """(vehicle_id, id, at, lat, lon, speed_kmh) of the fixes within each (van, since, until)."""
    if not stretches:
        return []
    return session.connection().execute(
        select(T.vehicle_id, T.id, T.at, T.lat, T.lon, T.speed_kmh).where(T.type == "fix", or_(*(
            and_(T.vehicle_id == v, T.at >= since, T.at <= until) for v, since, until in sorted(stretches)
        )))
    ).all()


def reading_counts(session: Session, ranges: dict[str, tuple[datetime, datetime]]) -> dict[str, int]:
    """How many ignition and fix items each van has within its range."""
    if not ranges:
        return {}
    return dict(session.connection().execute(
        select(T.vehicle_id, func.count()).where(T.type != "driver", or_(*(
            and_(T.vehicle_id == v, T.at >= lo, T.at <= hi) for v, (lo, hi) in sorted(ranges.items())
        ))).group_by(T.vehicle_id)
    ).all())


def driver_reads(session: Session, ranges: dict[str, tuple[datetime, datetime]]
                 ) -> Sequence[Row[str, datetime, str | None]]:
    """(vehicle_id, at, badge_id) of each van's cab reads from the last one before `since`
    up to `until`."""
    if not ranges:
        return []
    earlier = aliased(T)
    clauses = []
    for vehicle, (since, until) in sorted(ranges.items()):
        last_before = (
            select(func.max(earlier.at)).where(
                earlier.vehicle_id == vehicle, earlier.type != "fix", earlier.type == "driver",
                earlier.at < since)
            .scalar_subquery()
        )
        clauses.append(and_(T.vehicle_id == vehicle, T.at >= func.coalesce(last_before, since), T.at <= until))
    return session.connection().execute(
        select(T.vehicle_id, T.at, T.badge_id).where(NOT_FIX, T.type == "driver", or_(*clauses))
    ).all()


def assignments(session: Session, ranges: dict[str, tuple[datetime, datetime]]
                ) -> Sequence[Row[str, str, datetime, datetime | None, bool]]:
    """(vehicle_id, technician_id, starts_at, ends_at, corrected) of the vans' assignments
    overlapping each range; `corrected`: a supervisor's correction (it has a reason)."""
    if not ranges:
        return []
    A = VehicleAssignment
    return session.connection().execute(
        select(A.vehicle_id, A.technician_id, A.starts_at, A.ends_at, A.reason.is_not(None)).where(or_(*(
            and_(A.vehicle_id == v, A.starts_at <= until, or_(A.ends_at.is_(None), A.ends_at > since))
            for v, (since, until) in sorted(ranges.items())
        )))
    ).all()


def check_ins(session: Session, technician_ids: set[str], since: datetime, until: datetime
              ) -> Sequence[Row[str, str | None, datetime]]:
    """(technician_id, work_order_id, check_in_at) of these technicians' check-ins to work
    orders (a category's timer attributes no leg)."""
    if not technician_ids:
        return []
    V = WorkOrderVisit
    return session.connection().execute(
        select(V.technician_id, V.work_order_id, V.check_in_at).where(
            V.technician_id.in_(sorted(technician_ids)), V.check_in_at >= since,
            V.check_in_at <= until, V.work_order_id.is_not(None))
    ).all()


def geofences(session: Session, box: tuple[float, float, float, float]
              ) -> tuple[Sequence[Row[str, float, float, float]], Sequence[Row[str, float | None, float | None, float]]]:
    """Depots and work-order sites (id, lat, lon, radius_m) within `box`
    (min lat, min lon, max lat, max lon)."""
    south, west, north, east = box
    depots = session.connection().execute(
        select(Depot.id, Depot.lat, Depot.lon, Depot.geofence_radius_m).where(
            Depot.lat.between(south, north), Depot.lon.between(west, east))
    ).all()
    sites = session.connection().execute(
        select(WorkOrder.id, WorkOrder.lat, WorkOrder.lon, WorkOrder.radius_m).where(
            WorkOrder.lat.is_not(None), WorkOrder.lat.between(south, north),
            WorkOrder.lon.between(west, east))
    ).all()
    return depots, sites


def replace_legs(session: Session, windows: dict[str, tuple[datetime, datetime | None]], rows: list[dict]) -> None:
    """Delete each van's derived legs starting within [since, until) and write `rows`. A
    rebuilt leg that starts when a deleted one did keeps its id, so the corrections that
    name it (attach_leg) still apply."""
    if not windows:
        return
    deleted = session.connection().execute(delete(DriveLeg).where(or_(*(
        and_(DriveLeg.vehicle_id == v, DriveLeg.start_at >= since,
             DriveLeg.start_at < until if until is not None else true())
        for v, (since, until) in sorted(windows.items())
    ))).returning(DriveLeg.id, DriveLeg.vehicle_id, DriveLeg.start_at))
    ids = {(vehicle, start): id_ for id_, vehicle, start in deleted}
    same = [{**row, "id": ids[key]} for row in rows if (key := (row["vehicle_id"], row["start_at"])) in ids]
    new = [row for row in rows if (row["vehicle_id"], row["start_at"]) not in ids]
    for part in (same, new):
        if part:
            # a mapped class's __table__ is typed FromClause; DriveLeg's is its Table
            session.connection().execute(insert(cast(Table, DriveLeg.__table__)), part)
