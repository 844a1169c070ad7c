"""Run a mosquitto process of our own: the demo's broker, and the one each test starts."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

from depotclock.errors import DepotClockError


class BrokerStartError(DepotClockError):
    """mosquitto did not start listening."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


class MosquittoProcess:
    """A mosquitto started from a config file; can be stopped, killed and started again."""

    def __init__(self, conf: Path, port: int):
        self.conf = conf
        self.port = port
        self._process: subprocess.Popen[bytes] | None = None
        self._log = conf.with_name("mosquitto.log")

    def start(self, timeout: float = 10.0) -> MosquittoProcess:
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                ["mosquitto", "-c", str(self.conf)], stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while not _listening(self.port):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise BrokerStartError(
                    f"mosquitto did not listen on {self.port}: {self._log.read_text()[-2000:]}"
                )
            time.sleep(0.02)
        return self

    @property
    def running(self) -> bool:
        return self._alive() is not None

    def _alive(self) -> subprocess.Popen[bytes] | None:
        """The process while it runs, else None."""
        return self._process if self._process is not None and self._process.poll() is None else None

    def reload(self) -> None:
        """SIGHUP: mosquitto re-reads its password file and ACL."""
        if process := self._alive():
            process.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        """Stop cleanly (SIGTERM): mosquitto saves its persistence file."""
        if process := self._alive():
            process.terminate()
            process.wait(10)

    def kill(self) -> None:
        """Die at once (SIGKILL), as on a power cut."""
        if process := self._alive():
            process.kill()
            process.wait(10)

    def __enter__(self) -> MosquittoProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
