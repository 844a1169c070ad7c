"""A depot's roster for its kiosks: who each badge is and where each technician stands
(the company's technicians: any depot's kiosk takes anyone's punch), and their PIN hashes.
Pure: plain rows in, a `depotclock.wire.messages.Roster` out; the clock, id and seq are arguments.

A shift open for more than the auto clock-out limit is over (`depotclock.wire.shift_limit`,
the rule the engine and the kiosks apply too): its technician stands off the clock, so
the next tap clocks in, and the entry keeps the shift's clock-in for the kiosk to say so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from uuid import UUID

from depotclock.wire.messages import STATE_AFTER, PunchAction, Roster, RosterEntry, TechState
from depotclock.wire.shift_limit import AUTO_CLOCK_OUT_AFTER_H, past_limit

ASKS_BREAK_KIND = {"california"}  # overtime policies whose break rules need meal vs rest


@dataclass(frozen=True)
class RosterTechnician:
    id: str
    name: str
    overtime_policy: str
    pin_hash: str | None = None
    language: str | None = None  # the screen speaks it to them (Technician.language)


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
    auto_clock_out_after_h: int = AUTO_CLOCK_OUT_AFTER_H,
    depot_name: str | None = None,
) -> Roster:
    """`technicians`: the active technicians the depot's kiosks take punches of;
    `punches`: at least each one's latest punch (the latest by instant decides the
    state) and latest clock-in."""
    held_by: dict[str, set[str]] = {}
    for b in badges:
        if b.active_from <= now and (b.active_to is None or now < b.active_to):
            held_by.setdefault(b.technician_id, set()).add(b.badge_id)
    latest: dict[str, RosterPunch] = {}
    clock_in: dict[str, datetime] = {}
    for punch in punches:
        current = latest.get(punch.technician_id)
        if current is None or (punch.at, punch.id) > (current.at, current.id):
            latest[punch.technician_id] = punch
        if punch.action == PunchAction.CLOCK_IN:
            clock_in[punch.technician_id] = max(punch.at, clock_in.get(punch.technician_id, punch.at))
    entries = []
    for technician in sorted(technicians, key=lambda t: t.id):
        held = sorted(held_by.get(technician.id, ()))
        last = latest.get(technician.id)
        state = STATE_AFTER[PunchAction(last.action)] if last else TechState.OFF
        shift_start = clock_in.get(technician.id) if state is not TechState.OFF else None
        if shift_start is not None and past_limit(now - shift_start, auto_clock_out_after_h):
            state = TechState.OFF  # closed automatically: the next tap clocks in
        entries.append(RosterEntry(
            tech=technician.id, name=technician.name, badges=tuple(held), state=state,
            since=last.at.astimezone(timezone.utc) if last else None,
            shift_start=shift_start.astimezone(timezone.utc) if shift_start else None,
            ask_break_kind=technician.overtime_policy in ASKS_BREAK_KIND, pin_hash=technician.pin_hash,
            language=technician.language,
        ))
    return Roster(
        id=message_id, device="hub", seq=seq, at=now.astimezone(timezone.utc), depot=depot_id, depot_name=depot_name,
        ask_break_kind=any(t.overtime_policy in ASKS_BREAK_KIND for t in technicians),
        auto_clock_out_after_h=auto_clock_out_after_h, technicians=tuple(entries),
    )


def same_roster(a: Roster | None, b: Roster) -> bool:
    """Whether two rosters tell a kiosk the same thing (message id, seq and time aside)."""
    return a is not None and (a.depot, a.depot_name, a.ask_break_kind, a.auto_clock_out_after_h, a.technicians) == (
        b.depot, b.depot_name, b.ask_break_kind, b.auto_clock_out_after_h, b.technicians)
