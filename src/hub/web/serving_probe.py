"""systemd's readiness and watchdog for the gunicorn master: READY=1 and WATCHDOG=1 only
while a worker answers a request.

gunicorn says READY=1 itself as soon as its master has booted, before any worker serves,
and never pings a watchdog; `run_gunicorn` hides NOTIFY_SOCKET from it and starts this
probe in the master instead. A thread that asks the app for a page is the master's way to
know its workers serve: when every worker hangs, the requests go unanswered, the pings
stop, and systemd restarts the service.
"""

from __future__ import annotations

import http.client
import threading
from typing import Any

from depotclock.systemd_notify import SystemdNotifier

PROBE_PATH = "/healthz"  # answered by any worker, without the database


class ServingProbe:
    def __init__(self, notifier: SystemdNotifier, host: str, port: int):
        self.notifier, self.port = notifier, port
        self.host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
        self.period = min(notifier.interval / 2, 1.0)
        self._stop = threading.Event()
        self._arbiter: Any = None  # gunicorn's Arbiter (untyped), once start() has it

    def start(self, arbiter) -> None:
        """gunicorn's `when_ready` hook, in the master."""
        if self.notifier.enabled:
            self._arbiter = arbiter
            threading.Thread(target=self._run, name="serving-probe", daemon=True).start()

    def stop(self, arbiter) -> None:
        """gunicorn's `on_exit` hook: the workers are gone."""
        self._stop.set()
        self.notifier.stopping()

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            if self.answers():
                self.notifier.beat(status=self._status)

    def answers(self) -> bool:
        """Whether a worker answers a request (any status below 500) within a ping interval."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.notifier.interval)
        try:
            connection.request("GET", PROBE_PATH)
            return connection.getresponse().status < 500
        except (OSError, http.client.HTTPException):
            return False
        finally:
            connection.close()

    def _status(self) -> str:
        return f"{len(self._arbiter.WORKERS)} workers answering on {self.host}:{self.port}"
