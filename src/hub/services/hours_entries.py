"""Adding and voiding hours-only entries: checked (who may, the day's week still open, a
duration that fits the day, exactly one work order or task category, a reason) before one
new row is written. Nothing is edited in place: a void is a row of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from hub.rules.hours_entries import HoursEntryError, check_reason, day_problem, minutes_of
from hub.rules.instants import MINUTE_US
from hub.services.approvals import ensure_editable
from hub.services.correcting import ensure_not_submitted
from hub.services.problems import Invalid
from hub.services.records_view import day_of, sheet
from hub.services.scope import NotAllowed, OutOfScope, Viewer
from hub.services.task_categories import check_category
from hub.settings import PayrollSettings
from hub.store.models import HoursEntry, HoursEntryVoid, Technician, User


@dataclass(frozen=True)
class HoursEntryInput:
    """As typed: `duration` in hours (1.5) or H:MM (1:30); one of `work_order`, `category`."""

    day: date
    duration: str
    reason: str
    work_order: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class EntryLine:
    """An entry as the pages show it: who added it, and who voided it, when and why."""

    entry: HoursEntry
    added_by: str
    void: HoursEntryVoid | None
    voided_by: str | None


def _may_change(session: Session, viewer: Viewer, payroll: PayrollSettings, technician: Technician,
                day: date) -> None:
    """A technician: their own record, if the company lets them, until they submit the week;
    a supervisor (of the technician's depot), payroll or an admin: until it is approved."""
    if viewer.role == "technician":
        if viewer.technician_id != technician.id:
            raise NotAllowed("a technician may only enter hours on their own record")
        if not payroll.own_corrections:
            raise NotAllowed("the company does not let technicians enter their own hours; ask a supervisor")
    else:
        viewer.require("supervisor", "payroll", "admin")
        viewer.technician(session, technician.id)  # OutOfScope outside their depots
    ensure_editable(session, payroll, technician.id, day)
    if viewer.role == "technician":
        ensure_not_submitted(session, payroll, technician, day)


def _checked(call, *args):
    try:
        return call(*args)
    except HoursEntryError as error:
        raise Invalid(error.field, error.message) from None


def add_entry(session: Session, viewer: Viewer, payroll: PayrollSettings, technician: Technician,
              given: HoursEntryInput, now: datetime) -> HoursEntry:
    """Validate and write one hours-only entry; raises Invalid naming the field at fault."""
    day = given.day
    _may_change(session, viewer, payroll, technician, day)
    if day > now.astimezone(ZoneInfo(technician.payroll_timezone)).date():
        raise Invalid("day", "hours cannot be entered for a day still to come")
    minutes = _checked(minutes_of, given.duration or "")
    reason = _checked(check_reason, given.reason)
    work_order, category = (given.work_order or "").strip() or None, (given.category or "").strip() or None
    if (work_order is None) == (category is None):
        raise Invalid("category", "choose a task category or a work order (one of them)")
    if category is not None:
        check_category(session, category, day)
    else:
        try:
            viewer.work_order(session, work_order or "")
        except OutOfScope:
            raise Invalid("work_order", f"no work order {work_order}") from None
    found = day_of(sheet(session, payroll, technician, day, day, now), day)
    problem = day_problem(minutes, found.clocked if found else 0, (found.entered if found else 0) // MINUTE_US)
    if problem:
        raise Invalid("duration", problem)
    row = HoursEntry(technician_id=technician.id, day=day, minutes=minutes, work_order_id=work_order,
                     category_id=category, reason=reason, created_at=now, created_by=viewer.user_id)
    session.add(row)
    session.flush()
    return row


def void_entry(session: Session, viewer: Viewer, payroll: PayrollSettings, technician: Technician,
               entry_id: int, reason: str, now: datetime) -> HoursEntryVoid:
    """Take back one of the technician's entries, with a reason; Invalid (field `entry`) if
    it is not theirs or already voided."""
    entry = session.get(HoursEntry, entry_id)
    if entry is None or entry.technician_id != technician.id or session.scalar(
            select(HoursEntryVoid.id).where(HoursEntryVoid.entry_id == entry_id)) is not None:
        raise Invalid("entry", f"no hours-only entry h{entry_id} of {technician.id} to void")
    _may_change(session, viewer, payroll, technician, entry.day)
    row = HoursEntryVoid(entry_id=entry.id, reason=_checked(check_reason, reason), created_at=now,
                         created_by=viewer.user_id)
    session.add(row)
    session.flush()
    return row


def visible_entry(session: Session, viewer: Viewer, entry_id: int) -> tuple[HoursEntry, Technician]:
    """An entry and its technician, if the viewer may see them; OutOfScope otherwise."""
    entry = session.get(HoursEntry, entry_id)
    if entry is None:
        raise OutOfScope(f"no hours-only entry h{entry_id}")
    return entry, viewer.technician(session, entry.technician_id)


def entry_lines(session: Session, technician_id: str, start: date, end: date) -> list[EntryLine]:
    """The technician's entries of `start`..`end`, voided ones too, in the order they were made."""
    adder, voider = aliased(User), aliased(User)
    rows = session.execute(
        select(HoursEntry, adder.username, HoursEntryVoid, voider.username)
        .join(adder, adder.id == HoursEntry.created_by)
        .outerjoin(HoursEntryVoid, HoursEntryVoid.entry_id == HoursEntry.id)
        .outerjoin(voider, voider.id == HoursEntryVoid.created_by)
        .where(HoursEntry.technician_id == technician_id, HoursEntry.day >= start, HoursEntry.day <= end)
        .order_by(HoursEntry.id))
    return [EntryLine(entry, who, void, voided_by) for entry, who, void, voided_by in rows]
