"""Making a correction: checked (what its kind needs, that what it replaces is there, that
the week is open) before one new Correction row is written. Nothing is edited in place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from depotclock.wire.messages import BreakKind, PunchAction
from hub.rules.corrections import Correction as CorrectionRule
from hub.rules.corrections import CorrectionError, CorrectionKind, check_correction
from hub.rules.events import DriveLeg, Punch, event_instant
from hub.rules.punch_flags import NEEDS_APPROVAL
from hub.services.approvals import ensure_editable, week_start, week_state
from hub.services.problems import Invalid, Locked
from hub.services.records_view import effective_events
from hub.services.scope import NotAllowed, Viewer
from hub.services.task_categories import check_target
from hub.settings import PayrollSettings
from hub.store.models import Correction, Technician

TECHNICIAN_KINDS = (CorrectionKind.ADD_PUNCH, CorrectionKind.ADD_VISIT)
# what a technician may change of their own record when payroll.own_corrections allows
OWN_KINDS = (CorrectionKind.MOVE_PUNCH, CorrectionKind.VOID_PUNCH, CorrectionKind.ATTACH_LEG)
REPLACES_TYPE = {
    CorrectionKind.MOVE_PUNCH: "punch", CorrectionKind.VOID_PUNCH: "punch", CorrectionKind.APPROVE_PUNCH: "punch",
    CorrectionKind.ATTACH_LEG: "drive_leg", CorrectionKind.VOID_CORRECTION: "correction",
}


@dataclass(frozen=True)
class CorrectionInput:
    kind: str
    reason: str
    replaces: str | None = None
    action: str | None = None
    at: datetime | None = None
    end: datetime | None = None
    break_kind: str | None = None
    work_order: str | None = None
    manual: bool = False
    near: datetime | None = None  # where to look for what it replaces (default: `at`, else now)


def _enum(value: str | None, kind, field: str):
    if value in (None, ""):
        return None
    try:
        return kind(value)
    except ValueError:
        raise Invalid(field, f"{value!r} is not one of {', '.join(k.value for k in kind)}") from None


def _aware(value: datetime | None, field: str) -> datetime | None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise Invalid(field, "give the time with its UTC offset")
    return value


def record_correction(session: Session, viewer: Viewer, payroll: PayrollSettings, technician: Technician,
                      given: CorrectionInput, now: datetime) -> Correction:
    """Validate and write one correction; raises Invalid naming the field at fault."""
    kind = _enum(given.kind, CorrectionKind, "kind")
    if kind is None:
        raise Invalid("kind", "choose what to correct")
    if viewer.role == "technician":
        if viewer.technician_id != technician.id or kind not in TECHNICIAN_KINDS + OWN_KINDS:
            raise NotAllowed("a technician may only add entries to their own day")
        if kind in OWN_KINDS and not payroll.own_corrections:
            raise NotAllowed("the company does not let technicians change their own punches and legs; "
                             "ask a supervisor")
    else:
        viewer.require("supervisor", "payroll", "admin")
    reason = (given.reason or "").strip()
    if not reason:
        raise Invalid("reason", "every correction needs a reason")
    rule = CorrectionRule(
        id="new", tech=technician.id, kind=kind, replaces=given.replaces or None,
        action=_enum(given.action, PunchAction, "action"), at=_aware(given.at, "at"),
        end=_aware(given.end, "end"), break_kind=_enum(given.break_kind, BreakKind, "break_kind"),
        work_order=(given.work_order or "").strip() or None,
    )
    try:
        check_correction(rule)
    except CorrectionError as exc:
        raise Invalid(_field_of(str(exc)), str(exc)) from None
    if rule.at is not None and rule.at > now + timedelta(minutes=5):
        raise Invalid("at", "a correction cannot record the future")
    if rule.end is not None and rule.end > now + timedelta(minutes=5):
        raise Invalid("end", "a manual entry cannot end in the future")
    tz = ZoneInfo(technician.payroll_timezone)
    if rule.work_order is not None:
        check_target(session, viewer, rule.work_order, (rule.at or given.near or now).astimezone(tz).date())
    instants = [i for i in (rule.at, rule.end) if i is not None]
    if rule.replaces:
        instants.append(_replaced_instant(session, technician, kind, rule.replaces, given.near or rule.at or now))
    for instant in instants:
        ensure_editable(session, payroll, technician.id, instant.astimezone(tz).date())
        if viewer.role == "technician":
            ensure_not_submitted(session, payroll, technician, instant.astimezone(tz).date())
    values = {
        key: value for key, value in {
            "action": rule.action and rule.action.value, "at": rule.at and rule.at.isoformat(),
            "end": rule.end and rule.end.isoformat(), "break_kind": rule.break_kind and rule.break_kind.value,
            "work_order": rule.work_order, "manual": given.manual or None,
        }.items() if value
    }
    row = Correction(
        technician_id=technician.id, created_at=now, created_by=viewer.user_id, reason=reason,
        kind=kind.value, replaces_type=REPLACES_TYPE.get(kind), replaces_id=rule.replaces, values=values,
    )
    session.add(row)
    session.flush()
    return row


def ensure_not_submitted(session: Session, payroll: PayrollSettings, technician: Technician, day: date) -> None:
    """A technician's own changes stop when they submit the week (a rejection reopens it)."""
    week = week_start(day, payroll)
    if week_state(session, payroll, technician.id, week).submitted:
        raise Locked(f"the week of {week:%b %d} is submitted; a supervisor must reject it before you change it")


def _field_of(message: str) -> str:
    for field in ("replaces", "work_order", "action", "end", "at"):
        if field in message:
            return field
    return "end" if "end after" in message else "kind"


def _replaced_instant(session: Session, technician: Technician, kind: CorrectionKind, replaces: str,
                      near: datetime) -> datetime:
    """The instant of the event (or correction) a correction replaces; Invalid if it is not
    one of the technician's current events."""
    if kind is CorrectionKind.VOID_CORRECTION:
        number = replaces.removeprefix("c")
        row = session.get(Correction, int(number)) if number.isdigit() else None
        if row is None or row.technician_id != technician.id or row.kind == "void_correction":
            raise Invalid("replaces", f"no correction {replaces} of {technician.id} to void")
        values = row.values or {}
        return datetime.fromisoformat(values["at"]) if values.get("at") else row.created_at
    lo, hi = near - timedelta(days=45), near + timedelta(days=45)
    expected = DriveLeg if kind is CorrectionKind.ATTACH_LEG else Punch
    for line in effective_events(session, technician, lo, hi):
        if line.id == replaces and isinstance(line.event, expected):
            if kind is CorrectionKind.APPROVE_PUNCH and NEEDS_APPROVAL not in getattr(line.event, "flags", ()):
                raise Invalid("replaces", f"punch {replaces} is not waiting for approval")
            return event_instant(line.event)
    what = "drive leg" if expected is DriveLeg else "punch"
    raise Invalid("replaces", f"no current {what} {replaces} of {technician.id} near {near:%Y-%m-%d}")


def corrections_of(session: Session, technician_id: str) -> list[Correction]:
    return list(session.scalars(select(Correction).where(Correction.technician_id == technician_id)
                                .order_by(Correction.id)))
