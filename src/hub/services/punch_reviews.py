"""Flagged punches for a supervisor: the raw punches of the viewer's technicians that carry a
flag (`hub.rules.punch_flags`), where and how they were made, and, for those that wait for
a supervisor's approval, the decision on them.

Approving or rejecting one is a correction (`approve_punch`; `void_punch`: a rejected punch
no longer counts), so who, when and why are in the technician's audit trail, a void of the
correction undoes the decision, and the raw punch stays as it came.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from hub.rules.corrections import Correction as CorrectionRule
from hub.rules.corrections import CorrectionKind, current_id, decision_on
from hub.rules.punch_flags import NEEDS_APPROVAL, WORDS
from hub.rules.punch_location import Position, nearest_fence
from hub.services.correcting import CorrectionInput, record_correction
from hub.services.problems import Invalid
from hub.services.punching import fences
from hub.services.records import correction_event
from hub.services.scope import OutOfScope, Viewer
from hub.settings import PayrollSettings
from hub.store.models import Correction, Depot, Punch, Technician, User

MAX_DAYS = 62
LIMIT = 500  # punches shown at once: narrow the days, depot or flag for the rest
REASON_MAX = 1000
DECISIONS = {"approve": CorrectionKind.APPROVE_PUNCH, "reject": CorrectionKind.VOID_PUNCH}


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    depot: str | None = None
    flag: str | None = None


@dataclass(frozen=True)
class Decision:
    """An approval or rejection of a punch: the correction that made it, who, when, why."""

    correction: str
    approved: bool
    by: str
    at: datetime
    reason: str


@dataclass(frozen=True)
class FlaggedPunch:
    punch: Punch
    technician: Technician
    depot: Depot  # where it was made (a kiosk's), else the technician's home depot
    flags: tuple[str, ...]
    waiting: bool  # flagged needs_approval and neither approved nor rejected
    decision: Decision | None
    target: str  # the id a decision names: the punch's, or the move's that replaced it
    nearest: tuple[str, float] | None  # the nearest geofence and how far outside its edge (m)


def check_filters(session: Session, viewer: Viewer, start: date, end: date, depot: str | None,
                  flag: str | None) -> Filters:
    """The page's filters, each refused naming its field."""
    if end < start:
        raise Invalid("end", "give an end on or after the start")
    if (end - start).days >= MAX_DAYS:
        raise Invalid("end", f"give at most {MAX_DAYS} days")
    if depot:
        if len(depot) > 64:
            raise Invalid("depot", "choose one of your depots")
        try:
            viewer.depot(session, depot)
        except OutOfScope:
            raise Invalid("depot", f"no depot {depot!r} among yours") from None
    if flag and flag not in WORDS:
        raise Invalid("flag", "choose one of the flags listed")
    return Filters(start, end, depot or None, flag or None)


def flagged_punches(session: Session, viewer: Viewer, filters: Filters) -> list[FlaggedPunch]:
    """The flagged punches of the viewer's technicians on the filters' days (on the clock
    of the depot each was made at), newest first, at most LIMIT."""
    technicians = viewer.technicians()
    if filters.depot:
        technicians = technicians.where(Technician.home_depot_id == filters.depot)
    people = {t.id: t for t in session.scalars(technicians)}
    if not people:
        return []
    depots = {d.id: d for d in session.scalars(select(Depot))}
    text = cast(Punch.flags, String)
    lo = datetime.combine(filters.start - timedelta(days=1), time(0), timezone.utc)
    hi = datetime.combine(filters.end + timedelta(days=2), time(0), timezone.utc)
    query = (select(Punch).where(Punch.technician_id.in_(select(technicians.subquery().c.id)), Punch.at >= lo,
                                 Punch.at < hi, text != "[]")
             .order_by(Punch.at.desc(), Punch.id).limit(4 * LIMIT))
    if filters.flag:
        query = query.where(text.like(f'%"{filters.flag}"%'))
    found = []
    for row in session.scalars(query):
        flags = tuple(row.flags or ())
        technician = people.get(row.technician_id or "")
        depot = depots.get(row.depot_id or "") or (technician and depots.get(technician.home_depot_id))
        if technician is None or depot is None or not flags or (filters.flag and filters.flag not in flags):
            continue
        if filters.start <= row.at.astimezone(ZoneInfo(depot.timezone)).date() <= filters.end:
            found.append((row, technician, depot, flags))
    found = found[:LIMIT]
    corrections = _corrections(session, {t.id for _, t, _, _ in found})
    decisions = _decisions(session, corrections)
    places: dict[str, list] = {}
    shown = []
    for row, technician, depot, flags in found:
        theirs = corrections[technician.id]
        decided = decision_on(str(row.id), theirs) if NEEDS_APPROVAL in flags else None
        nearest = None
        if row.lat is not None and row.lon is not None:
            if technician.id not in places:
                places[technician.id] = fences(session, technician)
            closest = nearest_fence(Position(row.lat, row.lon, row.accuracy_m), places[technician.id])
            nearest = (closest[0].name, closest[1]) if closest else None
        shown.append(FlaggedPunch(
            row, technician, depot, flags, NEEDS_APPROVAL in flags and decided is None,
            decisions.get(decided.id) if decided else None, current_id(str(row.id), theirs), nearest))
    return shown


def _corrections(session: Session, technician_ids: set[str]) -> dict[str, list[CorrectionRule]]:
    """The technicians' corrections of punches (and voids of corrections), in order made."""
    found: dict[str, list[CorrectionRule]] = defaultdict(list)
    if technician_ids:
        for row in session.scalars(select(Correction).where(
                Correction.technician_id.in_(sorted(technician_ids)),
                Correction.replaces_type.in_(("punch", "correction"))).order_by(Correction.id)):
            found[row.technician_id].append(correction_event(row))
    return found


def _decisions(session: Session, corrections: dict[str, list[CorrectionRule]]) -> dict[str, Decision]:
    ids = [int(c.id[1:]) for theirs in corrections.values() for c in theirs
           if c.kind in (CorrectionKind.APPROVE_PUNCH, CorrectionKind.VOID_PUNCH)]
    if not ids:
        return {}
    rows = session.execute(select(Correction, User.username).join(User, User.id == Correction.created_by)
                           .where(Correction.id.in_(ids)))
    return {f"c{row.id}": Decision(f"c{row.id}", row.kind == CorrectionKind.APPROVE_PUNCH, who, row.created_at, row.reason)
            for row, who in rows}


def decide(session: Session, viewer: Viewer, payroll: PayrollSettings, punch_id: str, decision: str,
           reason: str | None, now: datetime) -> Correction:
    """Approve or reject a punch waiting for approval: one new correction."""
    viewer.require("supervisor", "payroll", "admin")
    kind = DECISIONS.get(decision or "")
    if kind is None:
        raise Invalid("decision", "choose approve or reject")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("reason", "say why")
    if len(reason) > REASON_MAX:
        raise Invalid("reason", f"say why in at most {REASON_MAX} characters")
    row = _punch(session, punch_id)
    technician = viewer.technician(session, row.technician_id or "")
    if NEEDS_APPROVAL not in (row.flags or ()):
        raise Invalid("punch", "this punch does not wait for approval")
    theirs = _corrections(session, {technician.id})[technician.id]
    decided = decision_on(str(row.id), theirs)
    if decided is not None:
        done = "approved" if decided.kind is CorrectionKind.APPROVE_PUNCH else "rejected"
        raise Invalid("punch", f"this punch was already {done} ({decided.id}); void that correction to decide again")
    return record_correction(session, viewer, payroll, technician, CorrectionInput(
        kind=kind.value, reason=reason, replaces=current_id(str(row.id), theirs), near=row.at), now)


def _punch(session: Session, punch_id: str) -> Punch:
    try:
        key = uuid.UUID(punch_id)
    except (ValueError, TypeError):
        raise OutOfScope(f"no punch {punch_id[:64]!r}") from None
    row = session.get(Punch, key)
    if row is None or row.technician_id is None:
        raise OutOfScope(f"no punch {punch_id}")
    return row
