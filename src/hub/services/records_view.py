"""A technician's record as the pages show it: the engine's timesheet for a week (live up
to now), the effective events behind it with their corrections, and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.export.context import TechnicianSheet
from hub.rules.corrections import apply_corrections
from hub.rules.events import DriveLeg, Event, Punch, WorkOrderCheck, event_instant
from hub.rules.sheets import DaySheet
from hub.rules.task_categories import TaskCategory, label
from hub.services.records import correction_event, stored_events, timesheets
from hub.services.task_categories import categories
from hub.settings import PayrollSettings
from hub.store.models import Correction, Technician, User


def sheet(session: Session, payroll: PayrollSettings, technician: Technician, start: date, end: date,
          now: datetime) -> TechnicianSheet:
    (found,) = timesheets(session, payroll, start, end, [technician.id], as_of=now)
    return found


def days_between(found: TechnicianSheet, start: date, end: date) -> list[DaySheet]:
    return [d for d in found.timesheet.days if start <= d.date <= end]


def day_of(found: TechnicianSheet, day: date) -> DaySheet | None:
    return next((d for d in found.timesheet.days if d.date == day), None)


def local_bounds(day: date, end: date, zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    return datetime.combine(day, time(0), tz), datetime.combine(end + timedelta(days=1), time(0), tz)


@dataclass(frozen=True)
class EventLine:
    """One effective event of a day, with the correction behind it (if any)."""

    id: str
    at: datetime
    what: str
    kind: str  # punch | leg | visit
    correction: str | None
    event: Event = field(repr=False)


def _describe(event: Event, tz: ZoneInfo, names: dict[str, TaskCategory]) -> tuple[str, str]:
    """(kind, words) of an event; a leg's end on the technician's wall clock."""
    if isinstance(event, Punch):
        extra = f" ({event.break_kind})" if event.break_kind else ""
        return "punch", event.type.replace("_", " ") + extra
    if isinstance(event, DriveLeg):
        return "leg", (f"drive {event.origin}→{event.destination}, {event.km:.1f} km, "
                       f"{label(names, event.work_order)}, until {event.end.astimezone(tz):%H:%M}")
    assert isinstance(event, WorkOrderCheck)
    return "visit", f"{'check in to' if event.check_in else 'check out of'} {label(names, event.work_order)}"


def effective_events(session: Session, technician: Technician, lo: datetime, hi: datetime) -> list[EventLine]:
    """The technician's events in [lo, hi) after corrections, in time order."""
    events = stored_events(session, [technician.id], lo - timedelta(days=1), hi + timedelta(days=1))
    rows = session.scalars(select(Correction).where(Correction.technician_id == technician.id)
                           .order_by(Correction.id))
    corrected = apply_corrections(events, [correction_event(r) for r in rows])
    tz = ZoneInfo(technician.payroll_timezone)
    names = categories(session)
    lines = []
    for event in corrected.events:
        at = event_instant(event)
        if lo <= at < hi:
            kind, what = _describe(event, tz, names)
            lines.append(EventLine(event.id, at.astimezone(tz), what, kind, corrected.marks.get(event.id), event))
    lines.sort(key=lambda line: (line.at, line.id))
    return lines


@dataclass(frozen=True)
class AuditEntry:
    correction: Correction
    who: str
    what: str
    replaces: str | None
    voided_by: str | None


def _touches(row: Correction, lo: datetime, hi: datetime, originals: dict[str, datetime]) -> bool:
    values = row.values or {}
    for key in ("at", "end"):
        if values.get(key) and lo <= datetime.fromisoformat(values[key]) < hi:
            return True
    replaced = originals.get(row.replaces_id or "")
    return replaced is not None and lo <= replaced < hi


def audit_trail(session: Session, technician: Technician, lo: datetime, hi: datetime) -> list[AuditEntry]:
    """Every correction touching [lo, hi): who, when, why and what it replaces; a voided one
    stays in the trail with what voided it."""
    events = stored_events(session, [technician.id], lo - timedelta(days=8), hi + timedelta(days=8))
    originals = {e.id: event_instant(e) for e in events}
    rows = list(session.execute(
        select(Correction, User.username).join(User, User.id == Correction.created_by)
        .where(Correction.technician_id == technician.id).order_by(Correction.id)
    ))
    for row, _ in rows:  # what a correction made can itself be replaced later
        values = row.values or {}
        if values.get("at"):
            originals[f"c{row.id}"] = datetime.fromisoformat(values["at"])
    voids = {r.replaces_id: f"c{r.id}" for r, _ in rows if r.kind == "void_correction"}
    touching = {f"c{r.id}" for r, _ in rows if _touches(r, lo, hi, originals)}
    tz = ZoneInfo(technician.payroll_timezone)
    names = categories(session)
    entries = []
    for row, who in rows:
        if f"c{row.id}" not in touching and row.replaces_id not in touching:
            continue
        values = row.values or {}
        parts = [row.kind.replace("_", " ")]
        if values.get("action"):
            parts.append(values["action"].replace("_", " "))
        if values.get("at"):
            parts.append(f"at {datetime.fromisoformat(values['at']).astimezone(tz):%a %H:%M}")
        if values.get("end"):
            parts.append(f"until {datetime.fromisoformat(values['end']).astimezone(tz):%H:%M}")
        if values.get("work_order"):
            parts.append(label(names, values["work_order"]))
        if values.get("manual"):
            parts.append("(manual entry)")
        replaced = originals.get(row.replaces_id or "")
        replaces = None
        if row.replaces_id:
            replaces = row.replaces_id + (f" (was {replaced.astimezone(tz):%a %H:%M})" if replaced else "")
        entries.append(AuditEntry(row, who, " ".join(parts), replaces, voids.get(f"c{row.id}")))
    return entries
