"""One wall clock for several real processes, stood still and moved by the test: a whole
working day in a minute, exact to the second.

The test writes the instant to a file. A process started with `SharedClock.environment()`
(the real command: `depotclock kiosk run ...`) holds its wall clock there from its first
instruction on: Python runs `shared_clock_site/sitecustomize.py`, which starts
time-machine (`tick=False`: `time.time`, `datetime.now` and friends) and a thread that
moves the clock when the file changes and answers with the step it reached in
`CLOCK.<name>.<pid>`. The environment is inherited, so the processes a process spawns
(the hub ingest's store processes) follow too. `set(at)` returns once every living
follower shows the new time, so the test taps a badge or turns a key only then.

The monotonic clock is left alone: timeouts (MQTT keepalive, the kiosk's answer time,
reconnect back-off) run in real time, as they must, while the wall clock stands still.

Why not libfaketime, which would need no Python at all: Debian's 0.9.10 cannot leave the
monotonic clock real under Python 3.11+ (`time.sleep` fails with EINVAL:
wolfcw/libfaketime#426), and faking it too hangs timed waits once the clock is moved
(wolfcw/libfaketime#390). Why not a clock setting in our processes: it would be a
test-only knob in production code. Here only the clock they read is the test's.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime
from pathlib import Path

POLL_S = 0.005
SITE = Path(__file__).with_name("shared_clock_site")
ROOT = Path(__file__).parents[2]


class ClockNotFollowed(Exception):
    """A process did not take up the new time."""


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def _read(path: Path) -> tuple[int, datetime]:
    step, instant = path.read_text().split()
    return int(step), datetime.fromisoformat(instant)


def _started(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot), or None when it is gone or a
    zombie; with the pid, it names one process even after the pid is reused."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] in ("Z", "X") else fields[19]


class SharedClock:
    """The test's side: the environment that puts a process on this clock, and `set`."""

    def __init__(self, path: Path, at: datetime):
        self.path, self.step, self.at = path, 0, at
        _write(path, f"0 {at.isoformat()}")

    def environment(self, name: str) -> dict[str, str]:
        """os.environ plus what makes a Python process (and its children) follow."""
        return {**os.environ, "SHARED_CLOCK_FILE": str(self.path), "SHARED_CLOCK_NAME": name,
                "PYTHONPATH": os.pathsep.join(filter(None, [str(SITE), str(ROOT), os.environ.get("PYTHONPATH")]))}

    def _lagging(self) -> list[str]:
        lagging = []
        for ack in self.path.parent.glob(f"{self.path.name}.*.*[0-9]"):
            pid = int(ack.name.rsplit(".", 1)[1])
            step, started = ack.read_text().split()
            if int(step) < self.step and _started(pid) == started:
                lagging.append(ack.name)
        return lagging

    def set(self, at: datetime, timeout: float = 30.0) -> None:
        if at < self.at:
            raise ValueError(f"the day goes forward: {at} is before {self.at}")
        self.step, self.at = self.step + 1, at
        _write(self.path, f"{self.step} {at.isoformat()}")
        deadline = time.monotonic() + timeout
        while lagging := self._lagging():
            if time.monotonic() > deadline:
                raise ClockNotFollowed(f"{', '.join(lagging)} did not move to {at} (step {self.step})")
            time.sleep(POLL_S)


def follow_from_environment() -> None:
    """In the process: hold the wall clock at the file's instant, forever after."""
    import time_machine

    path = Path(os.environ["SHARED_CLOCK_FILE"])
    ack = path.with_name(f"{path.name}.{os.environ['SHARED_CLOCK_NAME']}.{os.getpid()}")
    started = _started(os.getpid())
    step, at = _read(path)
    coordinates = time_machine.travel(at, tick=False).start()
    _write(ack, f"{step} {started}")

    def watch() -> None:
        nonlocal step
        while True:
            time.sleep(POLL_S)
            try:
                new_step, new_at = _read(path)
            except (OSError, ValueError):
                continue
            if new_step != step:
                coordinates.move_to(new_at, tick=False)
                step = new_step
                _write(ack, f"{step} {started}")

    threading.Thread(target=watch, name="shared-clock", daemon=True).start()
