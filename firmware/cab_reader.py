"""The cab's badge reader: who is driving. Any of the kiosk's reader families will do.

It runs in its own thread. A badge read again within a few seconds is the same read (a
driver taps twice, a card wobbles on the reader). A reader that goes away is closed and
reopened after a growing pause, and the vehicle status says what is wrong meanwhile; a
card that gives no usable id is logged and the reader goes on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from depotclock.backoff import Backoff
from kiosk.readers.base import BadgeRead, CardUnreadable, Reader, ReaderUnavailable

log = logging.getLogger(__name__)
MAX_ERROR = 500  # what the status has room for


class RepeatFilter:
    """A badge read again within `window_s` of its last kept read is that same read."""

    def __init__(self, window_s: float = 5.0):
        self.window_s = window_s
        self._kept: dict[str, float] = {}

    def fresh(self, badge_id: str, t: float) -> bool:
        last = self._kept.get(badge_id)
        if last is not None and t - last < self.window_s:
            return False
        self._kept = {b: k for b, k in self._kept.items() if t - k < self.window_s}
        self._kept[badge_id] = t
        return True


class CabReader:
    """Reads badges until stopped; `ok` and `error` are for the vehicle status, and
    `on_change` is called whenever they change."""

    def __init__(
        self,
        reader: Reader,
        on_read: Callable[[BadgeRead], None],
        on_change: Callable[[], None] = lambda: None,
        repeat_s: float = 5.0,
        retry_s: tuple[float, float] = (1.0, 30.0),  # reopening's pauses: first, longest
        read_timeout_s: float = 0.5,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.reader, self.on_read, self.on_change = reader, on_read, on_change
        self.repeats = RepeatFilter(repeat_s)
        self.retry_s, self.read_timeout_s, self.monotonic = retry_s, read_timeout_s, monotonic
        self.ok = False
        self.error: str | None = None

    def _health(self, ok: bool, error: str | None) -> None:
        error = None if error is None else error[:MAX_ERROR]
        if (ok, error) != (self.ok, self.error):
            self.ok, self.error = ok, error
            self.on_change()

    def _read_until_trouble(self, stop: threading.Event) -> None:
        self.reader.open()
        self._health(True, None)
        while not stop.is_set():
            try:
                read = self.reader.read(self.read_timeout_s)
            except CardUnreadable as exc:
                log.warning("cab reader: a card gave no usable id (%s); tap again", exc)
                continue
            if read is not None and self.repeats.fresh(read.badge_id, self.monotonic()):
                self.on_read(read)

    def run(self, stop: threading.Event) -> None:
        backoff = Backoff(self.retry_s)
        while not stop.is_set():
            opened_at = self.monotonic()
            try:
                self._read_until_trouble(stop)
            except ReaderUnavailable as exc:
                log.warning("cab reader unavailable: %s; reopening in %.0f s", exc, backoff.pause_s)
                self._health(False, str(exc))
            except Exception as exc:  # a driver bug must not end driver reads for the day
                log.exception("cab reader failed; reopening in %.0f s", backoff.pause_s)
                self._health(False, f"{type(exc).__name__}: {exc}")
            finally:
                try:
                    self.reader.close()
                except Exception:
                    log.exception("cab reader: closing failed")
            if self.monotonic() - opened_at > backoff.cap_s:
                backoff.worked()  # it worked for a while: this is a new trouble
            if backoff.wait(stop):
                return
