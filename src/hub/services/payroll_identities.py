"""Who each technician is in each payroll system (ADP file number, Paychex worker id,
Gusto employee id, QuickBooks employee name): read for an export, edited on the admin
page one technician at a time or imported as CSV, and checked before any export file is
written so that the technicians (and QuickBooks jobs) to fix are named first.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.export.context import ExportContext, ExportError
from hub.export.formats import ExportFormat
from hub.export.identities import PROVIDERS, Identity, adp_file_number, identity_problem, job_problem
from hub.export.period_hours import PayPeriod
from hub.services.problems import Invalid
from hub.services.records import touched_work_orders
from hub.settings import HubSettings
from hub.store.models import PayrollIdentity, Technician, WorkOrder

IDENTITY_COLUMNS = ("technician_id", "provider", "employee_id", "employee_name")
IN_LIMIT = 5000  # ids per IN (...) list
SHOWN = 50  # problems named in one message


def identities(session: Session, provider: str, technician_ids: Iterable[str]) -> dict[str, Identity]:
    """The technicians' identities in `provider`, by technician id."""
    ids, found = list(technician_ids), dict[str, Identity]()
    P = PayrollIdentity
    for first in range(0, len(ids), IN_LIMIT):
        found.update((tech, Identity(employee, name)) for tech, employee, name in session.execute(
            select(P.technician_id, P.employee_id, P.employee_name)
            .where(P.provider == provider, P.technician_id.in_(ids[first:first + IN_LIMIT]))))
    return found


def technician_identities(session: Session, technician_id: str) -> dict[str, Identity]:
    """A technician's identity in each provider that has one."""
    P = PayrollIdentity
    return {provider: Identity(employee, name) for provider, employee, name in session.execute(
        select(P.provider, P.employee_id, P.employee_name).where(P.technician_id == technician_id))}


def checked(provider: str, employee_id: str | None, employee_name: str | None) -> Identity | None:
    """An identity as entered, checked and in its stored shape (ADP's file number padded
    to six digits); None when both are empty (no identity). Invalid names the field."""
    if provider not in PROVIDERS:
        raise Invalid("provider", f"choose one of {', '.join(PROVIDERS)}")
    employee_id, employee_name = (employee_id or "").strip(), (employee_name or "").strip()
    if provider == "iif":
        identity = Identity(None, employee_name) if employee_name else None
        field = "employee_name"
    else:
        if employee_name:
            raise Invalid("employee_name", f"only QuickBooks takes an employee name, not {provider}")
        if provider == "adp" and employee_id.isascii() and employee_id.isdigit() and len(employee_id) <= 6:
            employee_id = adp_file_number(employee_id)
        identity = Identity(employee_id, None) if employee_id else None
        field = "employee_id"
    if identity is not None and (problem := identity_problem(provider, identity)):
        raise Invalid(field, problem)
    return identity


def set_identity(session: Session, technician_id: str, provider: str, identity: Identity | None) -> None:
    """Store (or, for None, remove) a technician's identity in `provider`; an employee id
    another technician has there is refused, naming them."""
    if session.get(Technician, technician_id) is None:
        raise Invalid("technician_id", f"no technician {technician_id}")
    row = session.get(PayrollIdentity, (technician_id, provider))
    if identity is None:
        if row is not None:
            session.delete(row)
        session.flush()
        return
    if identity.employee_id is not None:
        holder = session.scalar(select(PayrollIdentity.technician_id).where(
            PayrollIdentity.provider == provider, PayrollIdentity.employee_id == identity.employee_id,
            PayrollIdentity.technician_id != technician_id))
        if holder is not None:
            raise Invalid("employee_id", f"{PROVIDERS[provider]} {identity.employee_id} is {holder}'s")
    if row is None:
        session.add(PayrollIdentity(technician_id=technician_id, provider=provider,
                                    employee_id=identity.employee_id, employee_name=identity.employee_name))
    else:
        row.employee_id, row.employee_name = identity.employee_id, identity.employee_name
    session.flush()


@dataclass(frozen=True)
class ImportResult:
    saved: int
    removed: int


def import_identities(session: Session, data: bytes) -> ImportResult:
    """Identities from CSV (columns IDENTITY_COLUMNS, one row per technician and
    provider; both employee_id and employee_name empty removes one): all or nothing, each
    bad line named."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("file", "the file is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in ("technician_id", "provider") if c not in (reader.fieldnames or [])]
    if missing:
        raise Invalid("file", f"the header lacks {', '.join(missing)} (columns: {', '.join(IDENTITY_COLUMNS)})")
    technicians = set(session.scalars(select(Technician.id)))
    rows, seen = [], set()
    for line, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        key = (row.get("technician_id", ""), row.get("provider", ""))
        if key[0] not in technicians:
            raise Invalid("file", f"line {line}: no technician {key[0]!r}")
        if key in seen:
            raise Invalid("file", f"line {line}: {key[0]} {key[1]} appears twice")
        seen.add(key)
        try:
            rows.append((*key, checked(key[1], row.get("employee_id"), row.get("employee_name"))))
        except Invalid as error:
            raise Invalid("file", f"line {line}: {error.field}: {error.message}") from None
    if not rows:
        raise Invalid("file", "the file has no identities")
    for technician_id, provider, identity in rows:  # removals first: an id may move between technicians
        if identity is None:
            set_identity(session, technician_id, provider, None)
    for line, (technician_id, provider, identity) in enumerate(rows, start=2):
        if identity is not None:
            try:
                set_identity(session, technician_id, provider, identity)
            except Invalid as error:
                raise Invalid("file", f"line {line}: {error.field}: {error.message}") from None
    removed = sum(1 for *_, identity in rows if identity is None)
    return ImportResult(len(rows) - removed, removed)


def export_problems(session: Session, settings: HubSettings, fmt: ExportFormat, period: PayPeriod,
                    depots: frozenset[str] | None) -> list[str]:
    """What stops `fmt`'s file being imported, before it is written: each active
    technician who tracks time (of `depots`) without a valid identity in the format's
    payroll system, and each work order their period's time is on without a valid
    QuickBooks job (IIF). Empty when the file can be written."""
    query = select(Technician).where(Technician.tracks_time, Technician.active).order_by(Technician.id)
    if depots is not None:
        query = query.where(Technician.home_depot_id.in_(list(depots)))
    technicians = list(session.scalars(query))
    context = ExportContext(period, settings.export)
    if fmt.provider is not None:
        context.identities = identities(session, fmt.provider, [t.id for t in technicians])
    problems = [f"{t.id} {t.name}: {problem}" for t in technicians
                if (problem := fmt.person_problem(t, context))]
    if fmt.uses_jobs:
        problems += _job_problems(session, settings, period, [t.id for t in technicians])
    return problems


def _job_problems(session: Session, settings: HubSettings, period: PayPeriod, technician_ids: list[str]) -> list[str]:
    found: list[tuple[str, str, str | None]] = []
    for first in range(0, len(technician_ids), IN_LIMIT):
        ids = technician_ids[first:first + IN_LIMIT]
        touched = touched_work_orders(period.start, period.end, settings.payroll, ids)
        found += [(wo, customer, job) for wo, customer, job in session.execute(
            select(WorkOrder.id, WorkOrder.customer, WorkOrder.quickbooks_job).where(WorkOrder.id.in_(touched)))]
    return [f"work order {wo} ({customer}): {problem}" for wo, customer, job in sorted(set(found))
            if (problem := job_problem(job))]


def refuse(fmt: ExportFormat, problems: list[str]) -> ExportError:
    """The error that names what to fix before `fmt`'s file can be written."""
    more = f"\n… and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
    return ExportError(f"no {fmt.title} file written: fix these first (admin pages: technicians' payroll "
                       f"identities, work orders' QuickBooks jobs):\n" + "\n".join(problems[:SHOWN]) + more)

