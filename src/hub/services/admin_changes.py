"""What admins change: technicians, kiosks, vans and their drivers, depots, work orders
(one or a CSV of many), which job titles track time. Each change is checked whole
before anything is written, so a bad row or field saves nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NotRequired, TypedDict, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from hub.export.cells import text_problem
from hub.export.identities import job_problem
from hub.services.problems import Invalid
from hub.store.leg_requests import request_leg_rebuild
from hub.store.models import (
    BrokerCredential,
    Depot,
    Kiosk,
    Technician,
    User,
    Vehicle,
    VehicleAssignment,
    WorkOrder,
    WorkOrderAssignment,
)

SITE_COLUMNS = ("lat", "lon", "radius_m")  # what places a leg at a work order's site
WORK_ORDER_COLUMNS = ("id", "customer", "title", "site_address", "lat", "lon", "radius_m", "billable",
                      "depot_id", "assigned", "quickbooks_job")
# names that reach payroll files and spreadsheets (issue 17 #7, CWE-1236): refused at
# entry when a spreadsheet would run them as a formula or they hold control characters
NAMES = {Technician: ("id", "name", "given_name", "family_name", "payroll_id"),
         WorkOrder: ("id", "customer", "title", "quickbooks_job")}


def check_names(model, values: dict, where: str = "") -> None:
    """Invalid naming the first field of `values` that cannot be a name (`where`: a CSV
    line, "line 3: ")."""
    for name in NAMES.get(model, ()):
        text = values.get(name)
        problem = text_problem(text) if text else None
        if name == "quickbooks_job" and text and not problem:
            problem = job_problem(text)
        if problem:
            raise Invalid("file", f"{where}{name}: {problem}") if where else Invalid(name, problem)


def save(session: Session, model, key: str | None, values: dict):
    """Insert (key None) or update one row of a simple table from checked values."""
    check_names(model, values)
    if key is None:
        if session.get(model, values["id"]) is not None:
            raise Invalid("id", f"{values['id']} already exists")
        row = model(**values)
        session.add(row)
        moved = model is WorkOrder and values.get("lat") is not None
    else:
        row = session.get(model, key)
        if row is None:
            raise Invalid("id", f"no {key}")
        moved = model is WorkOrder and _site_changes(row, values)
        for name, value in values.items():
            if name != "id":
                setattr(row, name, value)
    if "home_depot_id" in values and session.get(Depot, values["home_depot_id"]) is None:
        raise Invalid("home_depot_id", f"no depot {values['home_depot_id']}")
    if "depot_id" in values and session.get(Depot, values["depot_id"]) is None:
        raise Invalid("depot_id", f"no depot {values['depot_id']}")
    if model is Kiosk:
        _kiosk_reads_its_depots_roster(session, row)
    session.flush()
    if moved:
        _request_site_legs(session, row.id)
    return row


def _kiosk_reads_its_depots_roster(session: Session, kiosk: Kiosk) -> None:
    """A kiosk moved to another depot reads that depot's roster from the broker's next
    configuration (`depotclock hub broker-config`, then a reload)."""
    account = session.get(BrokerCredential, kiosk.id)
    if account is not None and account.role == "kiosk":
        account.depot = kiosk.depot_id


def _site_changes(work_order: WorkOrder, values: Mapping[str, object]) -> bool:
    """Whether `values` move or resize the work order's site geofence."""
    return any(name in values and values[name] != getattr(work_order, name) for name in SITE_COLUMNS)


def _request_site_legs(session: Session, work_order_id: str) -> None:
    """The legs that end (or start) at the site's old or new geofence are placed again."""
    request_leg_rebuild(session, "geofence", None, None, work_order_id=work_order_id)


def all_rows(session: Session, model) -> list:
    """Every row of a small table (depots, technicians, vans, work orders, users)."""
    order = {User: User.username}.get(model, getattr(model, "id", None))
    return list(session.scalars(select(model).order_by(order)))


def choices(session: Session, model, blank: bool = False) -> list[tuple[str, str]]:
    """(id, label) pairs for a select field."""
    found = [(row.id, f"{row.id} {row.name}") for row in all_rows(session, model)]
    return ([("", "—")] if blank else []) + found


def assigned_technicians(session: Session, work_order_id: str) -> list[str]:
    return sorted(session.scalars(select(WorkOrderAssignment.technician_id)
                                  .where(WorkOrderAssignment.work_order_id == work_order_id)))


def assign_work_order(session: Session, work_order_id: str, technician_ids: list[str]) -> None:
    have = set(assigned_technicians(session, work_order_id))
    session.add_all(WorkOrderAssignment(work_order_id=work_order_id, technician_id=t)
                    for t in technician_ids if t not in have)
    session.flush()


def assign_vehicle(session: Session, vehicle_id: str, technician_id: str | None, now: datetime,
                   since: datetime | None = None) -> None:
    """The van's current driver ends at `since` (default now); the new one (if any) starts
    then. A `since` in the past assigns after the fact: the van's legs from then on get the
    new driver when the ingest rebuilds them."""
    if session.get(Vehicle, vehicle_id) is None:
        raise Invalid("vehicle_id", f"no vehicle {vehicle_id}")
    if technician_id and session.get(Technician, technician_id) is None:
        raise Invalid("technician_id", f"no technician {technician_id}")
    since = since or now
    if since > now:
        raise Invalid("since", "an assignment cannot start in the future")
    current = session.scalar(select(func.max(VehicleAssignment.starts_at)).where(
        VehicleAssignment.vehicle_id == vehicle_id, VehicleAssignment.ends_at.is_(None)))
    if current is not None and current > since:
        raise Invalid("since", f"the van's current driver has it since {current.isoformat()}; pick a later time")
    session.execute(update(VehicleAssignment).where(VehicleAssignment.vehicle_id == vehicle_id,
                                                    VehicleAssignment.ends_at.is_(None)).values(ends_at=since))
    if technician_id:
        session.add(VehicleAssignment(vehicle_id=vehicle_id, technician_id=technician_id, starts_at=since))
    request_leg_rebuild(session, "assignment", since, None, vehicle_id=vehicle_id, requested_at=now)
    session.flush()


def current_drivers(session: Session) -> dict[str, str]:
    return {v: t for v, t in session.execute(select(VehicleAssignment.vehicle_id, VehicleAssignment.technician_id)
                                             .where(VehicleAssignment.ends_at.is_(None)))}


def job_titles(session: Session) -> list[tuple[str, int, int]]:
    """(title, technicians, of whom tracking time)."""
    counts: dict[str, list[int]] = {}
    for title, tracks in session.execute(select(Technician.job_title, Technician.tracks_time)):
        counts.setdefault(title, [0, 0])
        counts[title][0] += 1
        counts[title][1] += int(bool(tracks))
    return [(title, n, tracking) for title, (n, tracking) in sorted(counts.items())]


def set_title_tracks_time(session: Session, title: str, tracks: bool) -> int:
    # an UPDATE's result is a CursorResult (rowcount); Session.execute is typed to return a Result
    result = cast(CursorResult[Any], session.execute(
        update(Technician).where(Technician.job_title == title).values(tracks_time=tracks)))
    if not result.rowcount:
        raise Invalid("job_title", f"no technician has the title {title}")
    return result.rowcount


class _WorkOrderValues(TypedDict):
    """A work order's columns from one line of an import."""

    id: str
    customer: str
    title: str
    site_address: str | None
    lat: float | None
    lon: float | None
    radius_m: float
    billable: bool
    depot_id: str
    quickbooks_job: NotRequired[str | None]  # only when the file has the column


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _number(text: str, line: int, column: str, low: float, high: float) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise Invalid("file", f"line {line}: {column} {text!r} is not a number") from None
    if not low <= value <= high:
        raise Invalid("file", f"line {line}: {column} must be between {low:g} and {high:g}")
    return value


# the store's column widths, so a long cell is a message naming it, not a database error
WORK_ORDER_WIDTHS = {"id": 64, "customer": 200, "title": 200, "depot_id": 64, "site_address": 300,
                     "assigned": 64 * 100, "billable": 8, "lat": 32, "lon": 32, "radius_m": 32}


def _csv_rows(reader: csv.DictReader):
    """(line, row) pairs; a cell beyond the csv module's limit is the file's fault."""
    line = 1
    try:
        for line, raw in enumerate(reader, start=2):
            yield line, raw
    except csv.Error as exc:
        raise Invalid("file", f"line {line + 1}: {exc}") from None


def _bounded(row: dict[str, str], line: int) -> None:
    for column, value in row.items():
        width = WORK_ORDER_WIDTHS.get(column)
        if width is not None and len(value) > width:
            raise Invalid("file", f"line {line}: {column} is longer than {width} characters")
        if any(ord(c) < 0x20 and c != "\t" for c in value):
            raise Invalid("file", f"line {line}: {column} holds a control character")


def import_work_orders(session: Session, data: bytes, allowed_depots: frozenset[str] | None) -> ImportResult:
    """Work orders from CSV (columns WORK_ORDER_COLUMNS; `assigned` holds technician ids
    separated by ';'): created or updated by id, all or nothing."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("file", "the file is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("id", "customer", "title", "depot_id") if c not in (reader.fieldnames or [])]
    if missing:
        raise Invalid("file", f"the header lacks {', '.join(missing)} (columns: {', '.join(WORK_ORDER_COLUMNS)})")
    depots = set(session.scalars(select(Depot.id)))
    technicians = set(session.scalars(select(Technician.id)))
    rows, seen = [], set()
    for line, raw in _csv_rows(reader):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        _bounded(row, line)
        for column in ("id", "customer", "title", "depot_id"):
            if not row.get(column):
                raise Invalid("file", f"line {line}: {column} is empty")
        if row["id"] in seen:
            raise Invalid("file", f"line {line}: {row['id']} appears twice")
        seen.add(row["id"])
        if row["depot_id"] not in depots or (allowed_depots is not None and row["depot_id"] not in allowed_depots):
            raise Invalid("file", f"line {line}: no depot {row['depot_id']}")
        assigned = [t.strip() for t in row.get("assigned", "").split(";") if t.strip()]
        unknown = [t for t in assigned if t not in technicians]
        if unknown:
            raise Invalid("file", f"line {line}: no technician {', '.join(unknown)}")
        check_names(WorkOrder, row, f"line {line}: ")
        billable = row.get("billable", "").lower()
        if billable not in ("", "yes", "no", "true", "false", "1", "0"):
            raise Invalid("file", f"line {line}: billable is yes or no")
        values = _WorkOrderValues(
            id=row["id"], customer=row["customer"], title=row["title"], site_address=row.get("site_address") or None,
            lat=_number(row.get("lat", ""), line, "lat", -90, 90), lon=_number(row.get("lon", ""), line, "lon", -180, 180),
            radius_m=_number(row.get("radius_m", ""), line, "radius_m", 1, 100_000) or 100.0,
            billable=billable not in ("no", "false", "0"), depot_id=row["depot_id"])
        if "quickbooks_job" in row:  # a file without the column leaves each job as it is
            values["quickbooks_job"] = row["quickbooks_job"] or None
        rows.append((values, assigned))
    if not rows:
        raise Invalid("file", "the file has no work orders")
    created = updated = 0
    for values, assigned in rows:
        existing = session.get(WorkOrder, values["id"])
        moved = values["lat"] is not None if existing is None else _site_changes(existing, values)
        if existing is None:
            session.add(WorkOrder(**values))
            created += 1
        else:
            for name, value in values.items():
                setattr(existing, name, value)
            updated += 1
        session.flush()
        if moved:
            _request_site_legs(session, values["id"])
        have = set(session.scalars(select(WorkOrderAssignment.technician_id)
                                   .where(WorkOrderAssignment.work_order_id == values["id"])))
        session.add_all(WorkOrderAssignment(work_order_id=values["id"], technician_id=t)
                        for t in assigned if t not in have)
    session.flush()
    return ImportResult(created, updated)


def decimal(text, field: str) -> Decimal:
    try:
        value = Decimal(str(text))
    except (InvalidOperation, ValueError):
        raise Invalid(field, "give an amount such as 31.50") from None
    if value < 0:
        raise Invalid(field, "cannot be negative")
    return value


def company_area(session: Session) -> tuple[float | None, float | None]:
    """Where a map for a new geofence opens: the first depot, if there is one."""
    depot = session.scalar(select(Depot).order_by(Depot.id).limit(1))
    return (depot.lat, depot.lon) if depot else (None, None)
