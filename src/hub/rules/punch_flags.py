"""Flags on a punch: what payroll should look at, never a reason to drop it. Pure.

- `unknown_badge`: no technician held the badge at the punch's instant.
- `clock_unsynced`: the kiosk said its clock was not synchronised.
- `clock_jumped`: between this punch and the kiosk's previous one (same boot, next lower
  seq) the wall clock moved more than `CLOCK_JUMP_TOLERANCE` away from the monotonic
  clock, which cannot jump; or it is stamped earlier than its predecessor although the
  monotonic clock went on. The first punch after the jump is the one flagged.
- `locked_period`: the punch's day falls in a locked pay period (locked, not unlocked),
  or in a workweek already final for its technician (`hub.rules.approval`).
- `pin`: made at the kiosk with the technician's PIN, not a badge; `needs_approval` too
  when the company wants a supervisor to look at each ([punching] pin_needs_approval).
- `sent_late`: a phone's punch that reached the hub more than a tolerance after the phone
  stamped it (kept offline, then sent): its time is the phone's word.
- `phone_clock`: the phone's clock, read when it sent the punch, disagreed with the hub's
  by more than the tolerance, so the time it stamped is suspect.
- `outside_geofence`, `no_position`: where a phone punched from (`hub.rules.punch_location`).
- `approved`: not a raw punch's; what an `approve_punch` correction puts in place of
  `needs_approval` on the effective punch (`hub.rules.corrections`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hub.rules.findings import N_
from hub.rules.punch_location import NO_POSITION, OUTSIDE_GEOFENCE

UNKNOWN_BADGE = "unknown_badge"
CLOCK_UNSYNCED = "clock_unsynced"
CLOCK_JUMPED = "clock_jumped"
LOCKED_PERIOD = "locked_period"
PIN = "pin"
NEEDS_APPROVAL = "needs_approval"
SENT_LATE = "sent_late"
PHONE_CLOCK = "phone_clock"
APPROVED = "approved"
CLOCK_JUMP_TOLERANCE = timedelta(seconds=120)
WORDS = {  # each flag as people read it (translated where it is shown)
    UNKNOWN_BADGE: N_("badge not known"), CLOCK_UNSYNCED: N_("kiosk clock not synchronised"),
    CLOCK_JUMPED: N_("kiosk clock jumped"), LOCKED_PERIOD: N_("arrived for a locked or approved week"),
    PIN: N_("entered with a PIN at the kiosk"), NEEDS_APPROVAL: N_("waiting for a supervisor's approval"),
    APPROVED: N_("approved by a supervisor"), SENT_LATE: N_("sent late from the phone"),
    PHONE_CLOCK: N_("phone clock disagreed with the hub's"), OUTSIDE_GEOFENCE: N_("outside every geofence"),
    NO_POSITION: N_("no position from the phone"),
}


@dataclass(frozen=True)
class KioskClock:
    """What a punch says about its kiosk's clocks."""

    id: str
    kiosk_id: str
    boot: str
    seq: int
    at: datetime
    monotonic_s: float


def clock_jumped(
    punch: KioskClock, previous: KioskClock | None, tolerance: timedelta = CLOCK_JUMP_TOLERANCE
) -> bool:
    """Whether the wall clock disagrees with the monotonic clock since `previous`."""
    if previous is None:
        return False
    wall = (punch.at - previous.at).total_seconds()
    monotonic = punch.monotonic_s - previous.monotonic_s
    return abs(wall - monotonic) > tolerance.total_seconds() or wall < 0 <= monotonic


def previous_punches(punches: list[KioskClock], stored: list[KioskClock]) -> dict[str, KioskClock | None]:
    """For each punch, the kiosk's punch with the same boot and the next lower seq, among
    those stored and those arriving with it."""
    everything = {p.id: p for p in [*stored, *punches]}
    by_boot: dict[tuple[str, str], list[KioskClock]] = {}
    for clock in everything.values():
        by_boot.setdefault((clock.kiosk_id, clock.boot), []).append(clock)
    previous = {}
    for punch in punches:
        lower = [c for c in by_boot[(punch.kiosk_id, punch.boot)] if c.seq < punch.seq]
        previous[punch.id] = max(lower, key=lambda c: (c.seq, c.id)) if lower else None
    return previous


def in_locked_period(
    day: date, locked_periods: list[tuple[date, date]], approved: set[date]
) -> bool:
    """`locked_periods`: first and last day of each period locked now; `approved`: the
    technician's final weeks, by first day."""
    if any(first <= day <= last for first, last in locked_periods):
        return True
    return any(week <= day < week + timedelta(days=7) for week in approved)


def punch_flags(
    *,
    technician_id: str | None,
    synced: bool,
    jumped: bool,
    locked: bool,
    pin: bool = False,
    pin_needs_approval: bool = False,
) -> list[str]:
    """The flags of one punch, in a fixed order."""
    flags = []
    if technician_id is None:
        flags.append(UNKNOWN_BADGE)
    if not synced:
        flags.append(CLOCK_UNSYNCED)
    if jumped:
        flags.append(CLOCK_JUMPED)
    if locked:
        flags.append(LOCKED_PERIOD)
    if pin:
        flags += [PIN, NEEDS_APPROVAL] if pin_needs_approval else [PIN]
    return flags


def phone_clock_flags(at: datetime, sent_at: datetime | None, received_at: datetime, tolerance: timedelta) -> list[str]:
    """A phone punch stamped `at` by the phone, sent when the phone's clock read `sent_at`
    (if it said), received at the hub's `received_at`."""
    flags = [SENT_LATE] if received_at - at > tolerance else []
    if sent_at is not None and abs(sent_at - received_at) > tolerance:
        flags.append(PHONE_CLOCK)
    return flags
