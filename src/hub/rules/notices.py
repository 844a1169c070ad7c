"""Who is sent which reminder or notice by email, from plain facts and `now`. Pure.

Each notice carries a `key` naming the thing it is about (the technician and the punch, the
week, the device's outage): the store keeps one notice per user and key, so a job that runs
every minute tells each person about each thing once. A device back online and silent again
is a new outage (its last-seen instant is in the key); a week sent back a second time is a
new return (the rejection's instant is).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from hub.rules.findings import N_, Code, TimesheetException


class NoticeKind(StrEnum):
    SHIFT_OPEN = "shift_open"
    MISSING_PUNCH = "missing_punch"
    WEEK_RETURNED = "week_returned"
    WEEKS_WAITING = "weeks_waiting"
    DEVICE_OFFLINE = "device_offline"


WORDS = {  # what people choose on their account page
    NoticeKind.SHIFT_OPEN: N_("I am still clocked in long after my shift should have ended"),
    NoticeKind.MISSING_PUNCH: N_("A punch of mine is missing (clock-in, clock-out, break)"),
    NoticeKind.WEEK_RETURNED: N_("My week was sent back to me"),
    NoticeKind.WEEKS_WAITING: N_("Weeks still waiting for my approval when a pay period ends"),
    NoticeKind.DEVICE_OFFLINE: N_("A kiosk or van of my depots is offline"),
}

# The exceptions that mean a punch is missing: the technician can add it (a manual entry).
MISSING_PUNCH_CODES = frozenset({Code.MISSING_CLOCK_OUT, Code.MISSING_CLOCK_IN, Code.BREAK_NOT_ENDED,
                                 Code.BREAK_END_WITHOUT_START})


def offered(role: str, technician_id: str | None) -> tuple[NoticeKind, ...]:
    """The kinds a user of `role` can receive, in the order the page lists them."""
    kinds: list[NoticeKind] = []
    if technician_id:
        kinds += [NoticeKind.SHIFT_OPEN, NoticeKind.MISSING_PUNCH, NoticeKind.WEEK_RETURNED]
    if role in ("supervisor", "payroll", "admin"):
        kinds.append(NoticeKind.WEEKS_WAITING)
    if role in ("supervisor", "admin"):
        kinds.append(NoticeKind.DEVICE_OFFLINE)
    return tuple(kinds)


@dataclass(frozen=True)
class Recipient:
    """A user with an email address and the kinds they chose (`depots` None: every depot)."""

    user_id: int
    email: str
    role: str
    technician_id: str | None
    depots: frozenset[str] | None
    kinds: frozenset[NoticeKind]

    def covers(self, depot_id: str) -> bool:
        return self.depots is None or depot_id in self.depots


@dataclass(frozen=True)
class OpenShift:
    technician_id: str
    clocked_in_at: datetime


@dataclass(frozen=True)
class ReturnedWeek:
    technician_id: str
    week_start: date
    returned_at: datetime
    reason: str | None


@dataclass(frozen=True)
class WaitingWeek:
    technician_id: str
    name: str
    depot_id: str
    week_start: date
    pending: str  # the level it waits for: supervisor or payroll


@dataclass(frozen=True)
class SilentDevice:
    """A kiosk or van the presence rule calls offline."""

    kind: str
    device_id: str
    name: str
    depot_id: str
    last_seen: datetime


@dataclass(frozen=True)
class Facts:
    """What the store says at `now`, for the rules below."""

    open_shifts: tuple[OpenShift, ...] = ()
    exceptions: tuple[tuple[str, TimesheetException], ...] = ()  # (technician, finding)
    returned: tuple[ReturnedWeek, ...] = ()
    period: tuple[date, date] | None = None  # the pay period that ended last
    waiting: tuple[WaitingWeek, ...] = ()  # its weeks still waiting for an approver
    silent: tuple[SilentDevice, ...] = ()


@dataclass(frozen=True)
class Notice:
    """One message to one user; `about` holds what its template shows."""

    kind: NoticeKind
    user_id: int
    email: str
    key: str
    about: dict[str, object] = field(default_factory=dict, compare=False)


def _waits_for(recipient: Recipient, week: WaitingWeek) -> bool:
    if not recipient.covers(week.depot_id):
        return False
    return recipient.role == "admin" or recipient.role == week.pending


def notices(facts: Facts, recipients: Iterable[Recipient], open_shift_after: timedelta,
            now: datetime) -> list[Notice]:
    """Every notice due at `now` to a recipient who chose its kind, of those their role is
    offered (the store drops the ones already sent). A shift is worth a reminder once open longer than `open_shift_after`."""
    found: list[Notice] = []
    for r in recipients:
        kinds = r.kinds & frozenset(offered(r.role, r.technician_id))
        if r.technician_id:
            tech = r.technician_id
            if NoticeKind.SHIFT_OPEN in kinds:
                found += [Notice(NoticeKind.SHIFT_OPEN, r.user_id, r.email, f"shift_open:{tech}:{s.clocked_in_at.isoformat()}",
                                 {"technician_id": tech, "clocked_in_at": s.clocked_in_at})
                          for s in facts.open_shifts
                          if s.technician_id == tech and now - s.clocked_in_at > open_shift_after]
            if NoticeKind.MISSING_PUNCH in kinds:
                found += [Notice(NoticeKind.MISSING_PUNCH, r.user_id, r.email,
                                 f"missing_punch:{tech}:{e.code.value}:{e.at.isoformat()}",
                                 {"technician_id": tech, "code": e.code, "at": e.at, "message": e.message})
                          for t, e in facts.exceptions if t == tech and e.code in MISSING_PUNCH_CODES]
            if NoticeKind.WEEK_RETURNED in kinds:
                found += [Notice(NoticeKind.WEEK_RETURNED, r.user_id, r.email,
                                 f"week_returned:{tech}:{w.week_start.isoformat()}:{w.returned_at.isoformat()}",
                                 {"technician_id": tech, "week_start": w.week_start, "returned_at": w.returned_at,
                                  "reason": w.reason})
                          for w in facts.returned if w.technician_id == tech]
        if NoticeKind.WEEKS_WAITING in kinds and facts.period is not None:
            weeks = [w for w in facts.waiting if _waits_for(r, w)]
            if weeks:
                first, last = facts.period
                found.append(Notice(NoticeKind.WEEKS_WAITING, r.user_id, r.email, f"weeks_waiting:{first.isoformat()}",
                                    {"period": (first, last), "weeks": sorted(weeks, key=lambda w: (w.week_start, w.name))}))
        if NoticeKind.DEVICE_OFFLINE in kinds:
            found += [Notice(NoticeKind.DEVICE_OFFLINE, r.user_id, r.email,
                             f"device_offline:{d.kind}:{d.device_id}:{d.last_seen.isoformat()}",
                             {"device": d})
                      for d in facts.silent if r.covers(d.depot_id)]
    return found


def next_attempt(attempts: int, pauses: tuple[float, float], now: datetime) -> datetime:
    """When a send that failed `attempts` times is tried again: the first pause, doubled at
    each failure, up to the longest (the devices' backoff, depotclock.backoff, kept in the
    store instead of a loop's memory)."""
    first_s, cap_s = pauses
    return now + timedelta(seconds=min(first_s * 2 ** min(max(attempts - 1, 0), 30), cap_s))
