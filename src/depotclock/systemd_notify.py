"""Telling systemd how a long-running process is doing (sd_notify(3)): READY=1 once it
really serves, WATCHDOG=1 from its main loop so that a hung loop gets it restarted
(`WatchdogSec=`), STATUS= for `systemctl status`, STOPPING=1 when it shuts down.

The protocol is one datagram of KEY=value lines to the AF_UNIX socket named in
$NOTIFY_SOCKET; without that variable (not under systemd, or not Type=notify) every call
does nothing. Written here rather than taken from PyPI: `sdnotify` has not been released
since 2017 and leaves the watchdog interval to the caller, and `systemd-watchdog` times
its pings by the wall clock, which a device without a synchronised clock steps.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Mapping

from depotclock.errors import DepotClockError

log = logging.getLogger(__name__)
STATUS_EVERY_S = 10.0  # how often STATUS= is refreshed when there is no watchdog to ping


class NotifyError(DepotClockError):
    """The service manager's environment makes no sense: the command stops with this message."""


def watchdog_timeout(environ: Mapping[str, str], pid: int) -> float | None:
    """The watchdog timeout in seconds, as sd_watchdog_enabled(3) reads it: WATCHDOG_USEC,
    for this process only when WATCHDOG_PID (if set) names it; None when there is none."""
    usec = environ.get("WATCHDOG_USEC")
    if not usec:
        return None
    owner = environ.get("WATCHDOG_PID")
    if owner and owner.strip() != str(pid):
        return None  # the watchdog is another process's (ours was started by it)
    if not usec.isdigit() or int(usec) == 0:
        raise NotifyError(f"WATCHDOG_USEC={usec!r} is not a positive number of microseconds "
                          "(systemd sets it from WatchdogSec=; unset it to run without a watchdog)")
    return int(usec) / 1_000_000


class SystemdNotifier:
    """One process's messages to systemd. Call `beat()` once per iteration of the main
    loop, never from a thread of its own: the pings must stop when the loop does."""

    def __init__(self, address: str | None, watchdog_s: float | None,
                 clock: Callable[[], float] = time.monotonic):
        self.address, self.watchdog_s, self.clock = address, watchdog_s, clock
        # sd_watchdog_enabled(3): ping at half the timeout.
        self.interval = watchdog_s / 2 if watchdog_s else STATUS_EVERY_S
        self._target = "\0" + address[1:] if address and address.startswith("@") else address
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) if address else None
        self._ready = False
        self._next = 0.0
        self._failing = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ, pid: int | None = None) -> SystemdNotifier:
        return cls(environ.get("NOTIFY_SOCKET") or None, watchdog_timeout(environ, pid or os.getpid()))

    @property
    def enabled(self) -> bool:
        return self._socket is not None

    def beat(self, ready: bool = True, status: Callable[[], str] | None = None, healthy: bool = True) -> None:
        """From the main loop: READY=1 the first time `ready` holds; WATCHDOG=1 (and a
        fresh STATUS=, from `status`) whenever one is due. While not `healthy` (a part of
        the process has failed) the status still goes, WATCHDOG=1 does not: systemd
        restarts the process if that lasts past WatchdogSec."""
        if not self.enabled:
            return
        lines = []
        if ready and not self._ready:
            self._ready = True
            lines.append("READY=1")
        now = self.clock()
        due = now >= self._next
        if due:
            self._next = now + self.interval
            if self.watchdog_s and healthy:
                lines.append("WATCHDOG=1")
        if status and (due or lines):
            lines.append(_status_line(status()))
        if lines:
            self._send(lines)

    def stopping(self, status: str = "stopping") -> None:
        """Shutting down: systemd stops waiting for pings and shows `status`."""
        if self.enabled:
            self._send(["STOPPING=1", _status_line(status)])

    def _send(self, lines: list[str]) -> None:
        if self._socket is None or self._target is None:
            return  # not enabled: callers check, this says so to the type checker
        try:
            self._socket.sendto("\n".join(lines).encode(), self._target)
        except OSError as exc:
            if not self._failing:  # once per run of failures, not at every beat
                log.warning("cannot notify systemd at %s: %s", self.address, exc)
            self._failing = True
        else:
            self._failing = False

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def _status_line(text: str) -> str:
    return "STATUS=" + " ".join(text.split())
