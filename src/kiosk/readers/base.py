"""The one interface every badge reader family implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from depotclock.errors import DepotClockError
from depotclock.wire.badge import ReaderFamily


@dataclass(frozen=True)
class BadgeRead:
    """One card presented to a reader: its badge id, and what the reader gave raw."""

    badge_id: str
    family: ReaderFamily
    raw: str


class CardUnreadable(Exception):
    """A card was presented but gave no usable UID: tap again, or re-enroll it."""


class ReaderUnavailable(DepotClockError):
    """The reader is missing, unplugged or not answering; the kiosk reopens it later."""


class Reader(Protocol):
    """A badge reader. `read` blocks up to `timeout` seconds and returns one read or None.

    A reader reports each presentation of a card once (a card left on the reader is not
    read again until it is taken away); debouncing repeat taps is the kiosk's job.
    `open` and `read` raise ReaderUnavailable when the device is gone; the kiosk then
    calls `close`, waits and calls `open` again. `read` raises CardUnreadable for a card
    that gives no usable id; the kiosk tells the technician to tap again.
    """

    family: ReaderFamily

    def open(self) -> None: ...

    def read(self, timeout: float) -> BadgeRead | None: ...

    def close(self) -> None: ...
