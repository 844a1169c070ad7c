"""A depot's roster for its kiosks: who each badge is and where each technician stands.
Pure: plain rows in, a `depotclock.wire.messages.Roster` out; the clock, id and seq are arguments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from uuid import UUID

from depotclock.wire.messages import STATE_AFTER, PunchAction, Roster, RosterEntry, TechState

ASKS_BREAK_KIND = {"california"}  # overtime policies whose break rules need meal vs rest


@dataclass(frozen=True)
class RosterTechnician:
    id: str
    name: str
    overtime_policy: str


@dataclass(frozen=True)
class RosterBadge:
    badge_id: str
    technician_id: str
    active_from: datetime
    active_to: datetime | None


@dataclass(frozen=True)
class RosterPunch:
    technician_id: str
    action: str
    at: datetime
    id: str


def build_roster(
    depot_id: str,
    technicians: list[RosterTechnician],
    badges: list[RosterBadge],
    punches: list[RosterPunch],
    *,
    now: datetime,
    message_id: UUID,
    seq: int,
) -> Roster:
    """`technicians`: the depot's active technicians; `punches`: at least each one's
    latest punch (the latest by instant decides the state)."""
    latest: dict[str, RosterPunch] = {}
    for punch in punches:
        current = latest.get(punch.technician_id)
        if current is None or (punch.at, punch.id) > (current.at, current.id):
            latest[punch.technician_id] = punch
    entries = []
    for technician in sorted(technicians, key=lambda t: t.id):
        held = sorted({
            b.badge_id for b in badges
            if b.technician_id == technician.id and b.active_from <= now
            and (b.active_to is None or now < b.active_to)
        })
        last = latest.get(technician.id)
        entries.append(RosterEntry(
            tech=technician.id, name=technician.name, badges=tuple(held),
            state=STATE_AFTER[PunchAction(last.action)] if last else TechState.OFF,
            since=last.at.astimezone(timezone.utc) if last else None,
        ))
    return Roster(
        id=message_id, device="hub", seq=seq, at=now.astimezone(timezone.utc), depot=depot_id,
        ask_break_kind=any(t.overtime_policy in ASKS_BREAK_KIND for t in technicians),
        technicians=tuple(entries),
    )


def same_roster(a: Roster | None, b: Roster) -> bool:
    """Whether two rosters tell a kiosk the same thing (message id, seq and time aside)."""
    return a is not None and (a.depot, a.ask_break_kind, a.technicians) == (
        b.depot, b.ask_break_kind, b.technicians)
