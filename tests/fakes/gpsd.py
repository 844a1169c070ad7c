"""A real gpsd fed by gpsfake, replaying an NMEA log to the first client that connects."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from depotclock.mosquitto import free_port


@contextmanager
def gpsfake(log: Path, cycle: float = 0.01, gpsd_clock: date | None = None):
    """Yield the port of a gpsd that replays `log` once, starting when a client watches.
    `gpsd_clock`: the day gpsd's system clock says (through libfaketime), e.g. a
    Raspberry Pi's 1970 before anything set its clock."""
    if shutil.which("gpsfake") is None or shutil.which("gpsd") is None:
        raise RuntimeError("gpsd and gpsfake are missing: run scripts/setup.sh test")
    port = free_port()
    monitor = []
    if gpsd_clock is not None:
        if shutil.which("faketime") is None:
            raise RuntimeError("faketime is missing: run scripts/setup.sh test")
        days = (gpsd_clock - date.today()).days  # gpsfake splits its monitor at spaces
        monitor = ["-m", f"faketime -f {days:+d}d"]
    process = subprocess.Popen(
        ["gpsfake", "-1", "-q", "-c", str(cycle), "-P", str(port), *monitor, str(log)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 15
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"gpsfake did not start: {process.stderr.read().decode()[-1000:]}")
        time.sleep(0.05)
    try:
        yield port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
