"""Corrections on top of raw events: what a supervisor or technician changed, and why.

Raw events are never edited. A correction adds a punch, moves or voids one, approves one
that waits for a supervisor's approval (flagged `needs_approval`: a PIN punch; rejecting it
is voiding it), attaches a drive leg to a work order, adds a manual visit (a gap accounted
for), or voids an earlier correction. Applying them in the order they were made gives the effective events; each
effective event made or changed by a correction carries that correction's id, so a
timesheet can mark corrected figures and trace them to who, when and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from depotclock.wire.messages import BreakKind, PunchAction
from hub.rules.events import DriveLeg, Event, InvalidEvent, Punch, WorkOrderCheck
from hub.rules.punch_flags import APPROVED, NEEDS_APPROVAL


class CorrectionKind(StrEnum):
    ADD_PUNCH = "add_punch"
    MOVE_PUNCH = "move_punch"
    VOID_PUNCH = "void_punch"
    APPROVE_PUNCH = "approve_punch"
    ATTACH_LEG = "attach_leg"
    ADD_VISIT = "add_visit"
    VOID_CORRECTION = "void_correction"


@dataclass(frozen=True)
class Correction:
    """`replaces`: the id of the event (or, for void_correction, the correction) it changes;
    ids of events made by a correction are the correction's id (a visit's: id-in, id-out)."""

    id: str
    tech: str
    kind: CorrectionKind
    replaces: str | None = None
    action: PunchAction | None = None
    at: datetime | None = None
    end: datetime | None = None
    break_kind: BreakKind | None = None
    work_order: str | None = None


class CorrectionError(ValueError):
    """A correction that cannot apply: it names what is wrong."""


@dataclass(frozen=True)
class Corrected:
    events: list[Event]
    marks: dict[str, str]  # effective event id -> the correction behind it


T = TypeVar("T")


def _given(correction: Correction, name: str, value: T | None) -> T:
    """`value`, the correction's field `name`, which its kind needs (check_correction)."""
    if value is None:
        raise CorrectionError(f"a {correction.kind} correction needs {name}")
    return value


def _need(correction: Correction, *names: str) -> None:
    missing = [n for n in names if getattr(correction, n) is None]
    if missing:
        raise CorrectionError(f"a {correction.kind} correction needs {', '.join(missing)}")


def check_correction(correction: Correction) -> None:
    """Raise CorrectionError if the correction lacks what its kind needs."""
    kind = correction.kind
    if kind is CorrectionKind.ADD_PUNCH:
        _need(correction, "action", "at")
    elif kind is CorrectionKind.MOVE_PUNCH:
        _need(correction, "replaces", "at")
    elif kind in (CorrectionKind.VOID_PUNCH, CorrectionKind.APPROVE_PUNCH, CorrectionKind.VOID_CORRECTION):
        _need(correction, "replaces")
    elif kind is CorrectionKind.ATTACH_LEG:
        _need(correction, "replaces", "work_order")
    else:
        _need(correction, "at", "end", "work_order")
        if _given(correction, "end", correction.end) <= _given(correction, "at", correction.at):
            raise CorrectionError("a manual entry must end after it starts")


def apply_corrections(events: Sequence[Event], corrections: Sequence[Correction]) -> Corrected:
    """`corrections` in the order they were made. A correction naming an event that is not
    (or no longer) there is skipped: it was voided, or belongs to another period."""
    voided = {c.replaces for c in corrections if c.kind is CorrectionKind.VOID_CORRECTION}
    effective: dict[str, Event] = {e.id: e for e in events}
    marks: dict[str, str] = {}
    for correction in corrections:
        if correction.id in voided or correction.kind is CorrectionKind.VOID_CORRECTION:
            continue
        try:
            made = _apply(correction, effective)
        except (InvalidEvent, CorrectionError):
            continue
        for event in made:
            effective[event.id] = event
            if correction.kind is not CorrectionKind.APPROVE_PUNCH:  # approved, not changed
                marks[event.id] = correction.id
    return Corrected(list(effective.values()), marks)


def in_force(corrections: Sequence[Correction]) -> list[Correction]:
    """The corrections no void_correction has voided, voids left out."""
    voided = {c.replaces for c in corrections if c.kind is CorrectionKind.VOID_CORRECTION}
    return [c for c in corrections if c.id not in voided and c.kind is not CorrectionKind.VOID_CORRECTION]


def current_id(event_id: str, corrections: Sequence[Correction]) -> str:
    """The id the event goes by now: a moved punch is the move's (and a move of that, the
    next move's). `corrections` in the order they were made."""
    for correction in in_force(corrections):
        if correction.kind is CorrectionKind.MOVE_PUNCH and correction.replaces == event_id:
            event_id = correction.id
    return event_id


def decision_on(event_id: str, corrections: Sequence[Correction]) -> Correction | None:
    """The approve_punch or void_punch correction in force on the event (by its current id)."""
    target = current_id(event_id, corrections)
    return next((c for c in in_force(corrections) if c.replaces == target
                 and c.kind in (CorrectionKind.APPROVE_PUNCH, CorrectionKind.VOID_PUNCH)), None)


def _apply(correction: Correction, effective: dict[str, Event]) -> list[Event]:
    kind, cid = correction.kind, correction.id
    if kind is CorrectionKind.ADD_PUNCH:
        return [Punch(cid, correction.tech, _given(correction, "action", correction.action),
                      _given(correction, "at", correction.at), correction.break_kind)]
    if kind is CorrectionKind.ADD_VISIT:
        work_order = _given(correction, "work_order", correction.work_order)
        return [
            WorkOrderCheck(f"{cid}-in", correction.tech, work_order, _given(correction, "at", correction.at), True),
            WorkOrderCheck(f"{cid}-out", correction.tech, work_order, _given(correction, "end", correction.end), False),
        ]
    original = effective.get(_given(correction, "replaces", correction.replaces))
    if original is None:
        raise CorrectionError(f"no event {correction.replaces}")
    if kind is CorrectionKind.VOID_PUNCH:
        del effective[original.id]
        return []
    if kind is CorrectionKind.APPROVE_PUNCH:
        if not (isinstance(original, Punch) and NEEDS_APPROVAL in original.flags):
            raise CorrectionError(f"{original.id} is not a punch waiting for approval")
        return [replace(original, flags=tuple(APPROVED if f == NEEDS_APPROVAL else f for f in original.flags))]
    del effective[original.id]
    if kind is CorrectionKind.MOVE_PUNCH and isinstance(original, Punch):
        return [replace(original, id=cid, at=_given(correction, "at", correction.at), type=correction.action or original.type)]
    if kind is CorrectionKind.ATTACH_LEG and isinstance(original, DriveLeg):
        return [replace(original, id=cid, work_order=correction.work_order)]
    effective[original.id] = original
    raise CorrectionError(f"a {kind} correction cannot apply to {original.id}")
