"""Waiting for a child process to be ready the way a service manager does: a notify service
sends READY=1 to the socket named in NOTIFY_SOCKET (sd_notify(3)); a web server is ready
once its /readyz answers 200. Nothing here reads a log."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from depotclock.errors import DepotClockError


class NotReady(DepotClockError):
    """The process ended, or did not say it was ready in time."""


class NotifySocket:
    """systemd's end of sd_notify for one child process: give it `environment()`, then
    `wait_ready()`."""

    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="sd-"))  # AF_UNIX paths hold 107 bytes at most
        self.path = self._dir / "notify"
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind(str(self.path))

    def environment(self) -> dict[str, str]:
        return {**os.environ, "NOTIFY_SOCKET": str(self.path)}

    def wait_ready(self, process: subprocess.Popen[bytes], what: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        self._socket.settimeout(0.2)
        while True:
            if process.poll() is not None:
                raise NotReady(f"{what} ended (exit status {process.returncode}) before it was ready")
            if time.monotonic() > deadline:
                raise NotReady(f"{what} did not say it was ready within {timeout:g} s")
            try:
                message = self._socket.recv(4096).decode(errors="replace")
            except TimeoutError:
                continue
            if "READY=1" in message.splitlines():
                return

    def close(self) -> None:
        self._socket.close()
        shutil.rmtree(self._dir, ignore_errors=True)


def wait_until_serving(url: str, process: subprocess.Popen[bytes], what: str, timeout: float = 30) -> None:
    """Until GET `url` answers 200 (e.g. a hub's /readyz)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise NotReady(f"{what} ended (exit status {process.returncode}) before it served")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass  # not listening yet, or not ready
        if time.monotonic() > deadline:
            raise NotReady(f"{what} did not answer {url} within {timeout:g} s")
        time.sleep(0.1)
