"""The unit's readers (GPS, the cab's badge reader) each in a thread that is watched.

A reader whose loop raises is not allowed to vanish: the error is logged and kept as the
reader's fault, the loop is started again after a pause (`depotclock.backoff`), and the
fault stays until the reader works again. While any reader is at fault the unit stops
pinging the service watchdog, so systemd restarts the whole unit if the fault outlasts
`WatchdogSec`, and the unit's status names the fault.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from depotclock.backoff import Backoff

log = logging.getLogger(__name__)
FAULT_LENGTH = 500


class SupervisedThread:
    """`loop(stop)` in a daemon thread, restarted after a pause whenever it raises, until
    `stop` is set. `changed` is called when the fault appears or clears."""

    def __init__(self, name: str, loop: Callable[[threading.Event], None], stop: threading.Event,
                 pauses: tuple[float, float], changed: Callable[[], None] = lambda: None):
        self.name, self.loop, self.stop, self.changed = name, loop, stop, changed
        self.backoff = Backoff(pauses)
        self.restarts = 0
        self._fault: str | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    @property
    def fault(self) -> str | None:
        """Why the reader is not working, or None while it is (or has not been started)."""
        if self._fault is None and self._thread.ident is not None and not self._thread.is_alive() \
                and not self.stop.is_set():
            return f"the {self.name} thread has ended"
        return self._fault

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def worked(self) -> None:
        """The reader did what it is for (a fix recorded, a reader opened): no fault."""
        self.backoff.worked()
        if self._fault is not None:
            self._fault = None
            log.info("%s reader works again", self.name)
            self.changed()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                self.loop(self.stop)
            except Exception as exc:  # any bug in a reader: kept, shown, and the reader restarted
                self._fault = f"{self.name} reader failed: {type(exc).__name__}: {exc}"[:FAULT_LENGTH]
                log.exception("%s reader failed; restarting it in %g s", self.name, self.backoff.pause_s)
                self.changed()
                self.restarts += 1
                self.backoff.wait(self.stop)
            else:
                return
