"""A reader for the demo and whole-day tests: badge ids written to a FIFO, one a line.

`echo DEADBEEF > /run/depotclock-kiosk/taps` is a tap of the card with UID DE AD BE EF.
The FIFO is made at `open` if missing; a line that is not a badge id is CardUnreadable,
as a card that gives no usable UID is on a real reader.
"""

from __future__ import annotations

import os
import select
import stat
import time
from pathlib import Path
from typing import Self

from depotclock.wire.badge import BadgeError, ReaderFamily, check_badge_id
from kiosk.readers.base import BadgeRead, CardUnreadable, ReaderUnavailable


class SimulatedReader:
    family = ReaderFamily.SIMULATED

    def __init__(self, feed: Path):
        self.feed = Path(feed)
        self._fd: int | None = None
        self._buffer = b""

    def open(self) -> None:
        try:
            if not self.feed.exists():
                self.feed.parent.mkdir(parents=True, exist_ok=True)
                os.mkfifo(self.feed, 0o660)
            if not stat.S_ISFIFO(self.feed.stat().st_mode):
                raise ReaderUnavailable(f"{self.feed} is not a FIFO")
            # O_RDWR keeps a writer open ourselves, so the FIFO never reports end-of-file
            # between two taps.
            self._fd = os.open(self.feed, os.O_RDWR | os.O_NONBLOCK)
        except OSError as exc:
            raise ReaderUnavailable(f"cannot open the simulated reader's feed {self.feed}: {exc}") from exc

    def read(self, timeout: float) -> BadgeRead | None:
        if self._fd is None:
            raise ReaderUnavailable("the simulated reader is not open")
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._fd], [], [], remaining)[0]:
                return None
            self._buffer += os.read(self._fd, 4096)
        line, self._buffer = self._buffer.split(b"\n", 1)
        text = line.decode(errors="replace").strip()
        try:
            return BadgeRead(check_badge_id(text.upper()), self.family, raw=text[:64])
        except BadgeError as exc:
            raise CardUnreadable(str(exc)) from None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
