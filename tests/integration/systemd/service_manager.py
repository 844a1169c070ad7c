"""systemd's end of sd_notify for tests: an AF_UNIX datagram socket we bind, the
environment a Type=notify unit with WatchdogSec= gives its process, and what arrived."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path


class ServiceManager:
    def __init__(self, watchdog_s: float):
        # A short directory: an AF_UNIX path holds at most 107 bytes.
        self._dir = Path(tempfile.mkdtemp(prefix="sd-"))
        self.path = self._dir / "notify"
        self.watchdog_s = watchdog_s
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.bind(str(self.path))
        self._sock.settimeout(0.2)
        self.messages: list[dict[str, str]] = []  # one per datagram, in arrival order
        self._lock = threading.Lock()
        self._closed = threading.Event()
        threading.Thread(target=self._receive, daemon=True).start()

    def _receive(self) -> None:
        while not self._closed.is_set():
            try:
                data = self._sock.recv(4096).decode()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.messages.append(dict(line.split("=", 1) for line in data.splitlines() if "=" in line))

    def environment(self) -> dict[str, str]:
        """What systemd sets for a Type=notify service with WatchdogSec=."""
        return {**os.environ, "NOTIFY_SOCKET": str(self.path),
                "WATCHDOG_USEC": str(int(self.watchdog_s * 1_000_000))}

    def count(self, key: str) -> int:
        with self._lock:
            return sum(key in m for m in self.messages)

    def statuses(self) -> list[str]:
        with self._lock:
            return [m["STATUS"] for m in self.messages if "STATUS" in m]

    def first(self, key: str) -> dict[str, str]:
        """The first datagram that carried `key`."""
        with self._lock:
            return next(m for m in self.messages if key in m)

    def keys(self) -> list[str]:
        with self._lock:
            return [k for m in self.messages for k in m]

    def wait_for(self, key: str, count: int = 1, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
        deadline = time.monotonic() + timeout
        while self.count(key) < count:
            assert process is None or process.poll() is None, f"the process ended ({process.returncode})"
            assert time.monotonic() < deadline, f"{count} x {key} never came: {self.messages[-5:]}"
            time.sleep(0.05)

    def pings_while_stopped(self, pids: list[int]) -> int:
        """WATCHDOG=1 pings sent during three ping intervals in which `pids` are SIGSTOPped
        (what was in flight when they stopped is let in first), then SIGCONT them."""
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        try:
            time.sleep(0.5)
            before = self.count("WATCHDOG")
            time.sleep(1.5 * self.watchdog_s)
            return self.count("WATCHDOG") - before
        finally:
            for pid in pids:
                os.kill(pid, signal.SIGCONT)

    def close(self) -> None:
        self._closed.set()
        self._sock.close()
        shutil.rmtree(self._dir, ignore_errors=True)
