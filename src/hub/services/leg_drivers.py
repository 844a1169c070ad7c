"""Drive legs with no driver (a van that moved before its assignment began, or with none),
and a supervisor naming who drove one. Naming a driver is a correction: a new vehicle
assignment covering that leg's span only, with who recorded it, when and why (and, when a
work order is given, an attach_leg correction of the driver's record). Nothing stored is
edited; the ingest, the one writer of drive legs, attributes the leg again on request,
and from then on it counts in that technician's timesheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from hub.services.approvals import ensure_editable
from hub.services.problems import Invalid
from hub.services.scope import OutOfScope, Viewer
from hub.services.task_categories import check_target
from hub.settings import PayrollSettings
from hub.store.leg_requests import request_leg_rebuild
from hub.store.leg_rows import lock_vehicles
from hub.store.models import (
    Correction,
    Depot,
    DriveLeg,
    Technician,
    User,
    Vehicle,
    VehicleAssignment,
)

LISTED_DAYS = 31  # how far back the page looks
MAX_LISTED = 200
MAX_REASON_CHARS = 2000
MAX_ROW_ID = 2**31 - 1  # the largest key both backends store
SEEING = ("supervisor", "payroll", "admin")  # who may see vans' legs (their depots')
NAMING = ("supervisor", "admin")  # who may name a leg's driver


@dataclass(frozen=True)
class DriverlessLeg:
    """A leg without a driver, its instants on the van's depot's clock. `named`: the
    technician a supervisor named, until the ingest has attributed the leg to them."""

    id: int
    vehicle_id: str
    vehicle_name: str
    depot_id: str
    zone: str
    start: datetime
    end: datetime
    distance_km: float
    origin: str
    destination: str
    named: str | None


@dataclass(frozen=True)
class NamedDriver:
    """One correction naming a leg's driver: the audit trail's line."""

    vehicle_id: str
    technician_id: str
    technician_name: str
    start: datetime
    end: datetime
    reason: str
    recorded_by: str
    recorded_at: datetime
    zone: str


def vans(viewer: Viewer) -> ColumnElement[bool]:
    """Which vans this user may see, as a condition on Vehicle: a supervisor's or payroll's
    depots', an admin's all."""
    viewer.require(*SEEING)
    return viewer.van_condition()


def _named(session: Session, legs: list[DriveLeg]) -> dict[int, str]:
    """leg id -> the technician a correction covering its start names."""
    if not legs:
        return {}
    A = VehicleAssignment
    rows = session.execute(select(A.vehicle_id, A.technician_id, A.starts_at, A.ends_at).where(
        A.reason.is_not(None), A.vehicle_id.in_({leg.vehicle_id for leg in legs}),
        A.ends_at > min(leg.start_at for leg in legs), A.starts_at <= max(leg.start_at for leg in legs)))
    covering = list(rows)  # a correction always ends (its CHECK)
    return {leg.id: tech for leg in legs for van, tech, start, end in covering
            if van == leg.vehicle_id and end is not None and start <= leg.start_at < end}


def driverless_legs(session: Session, viewer: Viewer, now: datetime) -> list[DriverlessLeg]:
    """The newest legs without a driver of the user's vans, of the last LISTED_DAYS days."""
    rows = list(session.execute(
        select(DriveLeg, Vehicle.name, Vehicle.depot_id, Depot.timezone)
        .join(Vehicle, Vehicle.id == DriveLeg.vehicle_id).join(Depot, Depot.id == Vehicle.depot_id)
        .where(vans(viewer), DriveLeg.technician_id.is_(None),
               DriveLeg.start_at >= now - timedelta(days=LISTED_DAYS))
        .order_by(DriveLeg.start_at.desc(), DriveLeg.id).limit(MAX_LISTED)))
    named = _named(session, [leg for leg, *_ in rows])
    return [
        DriverlessLeg(leg.id, leg.vehicle_id, name, depot, zone, leg.start_at.astimezone(ZoneInfo(zone)),
                      leg.end_at.astimezone(ZoneInfo(zone)), leg.distance_km, leg.origin_kind,
                      leg.destination_kind, named.get(leg.id))
        for leg, name, depot, zone in rows
    ]


def named_drivers(session: Session, viewer: Viewer, now: datetime) -> list[NamedDriver]:
    """The corrections naming legs' drivers on the user's vans, recorded in the last
    LISTED_DAYS days, newest first."""
    A = VehicleAssignment
    rows = session.execute(
        select(A, Technician.name, User.username, Depot.timezone)
        .join(Vehicle, Vehicle.id == A.vehicle_id).join(Depot, Depot.id == Vehicle.depot_id)
        .join(Technician, Technician.id == A.technician_id).join(User, User.id == A.recorded_by)
        .where(vans(viewer), A.reason.is_not(None), A.recorded_at >= now - timedelta(days=LISTED_DAYS))
        .order_by(A.recorded_at.desc(), A.id.desc()).limit(MAX_LISTED))
    out = []
    for row, name, username, zone in rows:
        assert row.ends_at is not None and row.reason is not None and row.recorded_at is not None  # by the CHECK
        tz = ZoneInfo(zone)
        out.append(NamedDriver(row.vehicle_id, row.technician_id, name, row.starts_at.astimezone(tz),
                               row.ends_at.astimezone(tz), row.reason, username, row.recorded_at.astimezone(tz),
                               zone))
    return out


def choices(session: Session, viewer: Viewer) -> dict[str, list[tuple[str, str]]]:
    """depot -> (technician id, name) of its active technicians the user may see: who may
    be named the driver of that depot's vans."""
    out: dict[str, list[tuple[str, str]]] = {}
    for tech in session.scalars(viewer.technicians().where(Technician.active).order_by(Technician.name)):
        out.setdefault(tech.home_depot_id, []).append((tech.id, tech.name))
    return out


def _leg(session: Session, viewer: Viewer, leg_id: int) -> tuple[DriveLeg, Vehicle]:
    found = None
    if 0 < leg_id <= MAX_ROW_ID:
        found = session.execute(select(DriveLeg, Vehicle).join(Vehicle, Vehicle.id == DriveLeg.vehicle_id)
                                .where(DriveLeg.id == leg_id, vans(viewer))).first()
    if found is None:
        raise OutOfScope(f"no drive leg {leg_id}")
    leg, vehicle = found
    return leg, vehicle


def _control(text: str, allowed: str = "") -> bool:
    """A C0 or C1 control character (NUL among them, which no database stores)."""
    return any((ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) and c not in allowed for c in text)


def _id(value: str | None, field: str, what: str) -> str | None:
    """An id as typed, stripped; None when blank; Invalid when no id could be it."""
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > 64 or _control(value):
        raise Invalid(field, f"no {what} {value[:64]!r}")
    return value


def name_driver(session: Session, viewer: Viewer, payroll: PayrollSettings, leg_id: int, technician_id: str,
                work_order: str | None, reason: str, now: datetime) -> VehicleAssignment:
    """Record who drove leg `leg_id` (and, optionally, for which work order); Invalid
    naming the field at fault, OutOfScope for a leg the user may not see."""
    viewer.require(*NAMING)
    leg, vehicle = _leg(session, viewer, leg_id)
    lock_vehicles(session, {vehicle.id})  # naming a leg's driver and rebuilding its legs: one after the other
    session.expire(leg)
    leg, vehicle = _leg(session, viewer, leg_id)  # as it is now the van is locked
    if leg.technician_id is not None:
        raise Invalid("leg", f"leg {leg.id} already has a driver ({leg.technician_id}); correct it on their day")
    if leg.id in _named(session, [leg]):
        raise Invalid("leg", f"a driver of leg {leg.id} was already named; it is being applied")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("reason", "say why: every correction needs a reason")
    if len(reason) > MAX_REASON_CHARS:
        raise Invalid("reason", f"at most {MAX_REASON_CHARS} characters")
    if _control(reason, "\t\n\r"):
        raise Invalid("reason", "control characters are not allowed")
    driver = _id(technician_id, "technician_id", "technician")
    if driver is None:
        raise Invalid("technician_id", "choose who drove")
    try:
        technician = viewer.technician(session, driver)
    except OutOfScope:
        raise Invalid("technician_id", f"no technician {driver}") from None
    if technician.home_depot_id != vehicle.depot_id:
        raise Invalid("technician_id", f"{technician.id} is not a technician of {vehicle.id}'s depot")
    if not technician.active:
        raise Invalid("technician_id", f"{technician.id} is not active")
    work_order = _id(work_order, "work_order", "work order")
    day = leg.start_at.astimezone(ZoneInfo(technician.payroll_timezone)).date()
    found = check_target(session, viewer, work_order, day) if work_order is not None else None
    if found is not None and found.depot_id != vehicle.depot_id:
            raise Invalid("work_order", f"{found.id} is not a work order of {vehicle.id}'s depot")
    ensure_editable(session, payroll, technician.id, day)
    # covers the leg's start (a leg of no length still needs a span to cover it)
    ends = max(leg.end_at, leg.start_at + timedelta(microseconds=1))
    row = VehicleAssignment(vehicle_id=vehicle.id, technician_id=technician.id, starts_at=leg.start_at,
                            ends_at=ends, reason=reason, recorded_by=viewer.user_id, recorded_at=now)
    session.add(row)
    if work_order is not None:
        session.add(Correction(technician_id=technician.id, created_at=now, created_by=viewer.user_id,
                               reason=reason, kind="attach_leg", replaces_type="drive_leg",
                               replaces_id=f"leg-{leg.id}", values={"work_order": work_order}))
    request_leg_rebuild(session, "assignment", leg.start_at, leg.end_at, vehicle_id=vehicle.id, requested_at=now)
    session.flush()
    return row
