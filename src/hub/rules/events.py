"""What the engine takes in: punches, drive legs and work-order check-ins, each with an id.

Punch actions and break kinds are the wire contract's own (`depotclock.wire.messages`).

Every instant is timezone-aware; durations are differences of instants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

# Re-exported (`as`): the engine's inputs name them.
from depotclock.wire.messages import BreakKind as BreakKind
from depotclock.wire.messages import PunchAction as PunchAction


class Place(StrEnum):
    DEPOT = "depot"
    SITE = "site"
    HOME = "home"
    OTHER = "other"


class InvalidEvent(ValueError):
    """An event that cannot be true: naive instant, end before start, unknown type."""


def _naive(at: datetime, what: str) -> InvalidEvent:
    return InvalidEvent(f"{what} {at.isoformat()} has no UTC offset")


@dataclass(frozen=True, slots=True)
class Punch:
    id: str
    tech: str
    type: PunchAction
    at: datetime
    break_kind: BreakKind | None = None
    flags: tuple[str, ...] = ()  # the raw punch's (hub.rules.punch_flags), as corrections leave them

    def __post_init__(self) -> None:
        if self.at.utcoffset() is None:  # None too when there is no tzinfo
            raise _naive(self.at, "punch time")


@dataclass(frozen=True, slots=True)
class DriveLeg:
    id: str
    tech: str
    start: datetime
    end: datetime
    km: float
    origin: Place
    destination: Place
    work_order: str | None = None

    def __post_init__(self) -> None:
        if self.start.utcoffset() is None:
            raise _naive(self.start, "drive start")
        if self.end.utcoffset() is None:
            raise _naive(self.end, "drive end")
        if self.end < self.start:
            raise InvalidEvent(f"drive {self.id} ends before it starts")
        if self.km < 0:
            raise InvalidEvent(f"drive {self.id} has a negative distance")


@dataclass(frozen=True, slots=True)
class WorkOrderCheck:
    """A check-in to (`check_in=True`) or check-out of a work order."""

    id: str
    tech: str
    work_order: str
    at: datetime
    check_in: bool

    def __post_init__(self) -> None:
        if self.at.utcoffset() is None:
            raise _naive(self.at, "check time")


Event = Punch | DriveLeg | WorkOrderCheck


def event_instant(event: Event) -> datetime:
    return event.start if isinstance(event, DriveLeg) else event.at
