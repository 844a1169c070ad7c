"""One wall clock for several real processes, stood still and moved by the test: a whole
working day in a minute, exact to the second.

The test writes the instant to a file; each process started through this module
(`python -m tests.fakes.shared_clock CLOCK NAME module:function ARGS...`) holds its wall
clock there (time-machine, `tick=False`: `time.time`, `datetime.now` and friends) and
answers each move by writing the step it reached to `CLOCK.NAME`, so the test knows every
process shows the new time before it taps a badge or turns a key. The monotonic clock is
left alone: timeouts (MQTT keepalive, the kiosk's answer time, reconnect back-off) run in
real time, as they must, while the wall clock stands still between moves.

Why not libfaketime, which needs no Python at all: Debian's 0.9.10 cannot leave the
monotonic clock real under Python 3.11+ (`time.sleep` fails with EINVAL:
wolfcw/libfaketime#426), and faking it too hangs threads' timed waits once the clock is
moved (wolfcw/libfaketime#390). Why not a clock setting in our processes: it would be a
test-only knob in production code. Here the processes run their real entry points; only
the clock they read is the test's.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Callable

POLL_S = 0.005


class ClockNotFollowed(Exception):
    """A process did not take up the new time."""


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def _read(path: Path) -> tuple[int, datetime]:
    step, instant = path.read_text().split()
    return int(step), datetime.fromisoformat(instant)


class SharedClock:
    """The test's side: `start(name, ...)` commands, and `set(at)` to move every follower."""

    def __init__(self, path: Path, at: datetime):
        self.path, self.step, self.at = path, 0, at
        self._followers: dict[str, Callable[[], bool]] = {}  # name -> still running?
        _write(path, f"0 {at.isoformat()}")

    def command(self, name: str, target: str, *args: str) -> list[str]:
        """The command that runs `target` ("module:function", a click entry point reading
        sys.argv) on this clock; `name` must be unique among long-running followers."""
        return [sys.executable, "-m", "tests.fakes.shared_clock", str(self.path), name, target, *args]

    def follow(self, name: str, running: Callable[[], bool]) -> None:
        """`set` waits for `name` while `running()` says it still runs."""
        self._followers[name] = running

    def set(self, at: datetime, timeout: float = 30.0) -> None:
        if at < self.at:
            raise ValueError(f"the day goes forward: {at} is before {self.at}")
        self.step, self.at = self.step + 1, at
        _write(self.path, f"{self.step} {at.isoformat()}")
        deadline = time.monotonic() + timeout
        for name, running in self._followers.items():
            ack = self.path.with_name(f"{self.path.name}.{name}")
            while running() and (not ack.exists() or int(ack.read_text() or 0) < self.step):
                if time.monotonic() > deadline:
                    raise ClockNotFollowed(f"{name} did not move its clock to {at} (step {self.step})")
                time.sleep(POLL_S)


def _follow(path: Path, name: str) -> None:
    """In the process: hold the wall clock at the file's instant, forever after."""
    import time_machine

    step, at = _read(path)
    coordinates = time_machine.travel(at, tick=False).start()
    ack = path.with_name(f"{path.name}.{name}")
    _write(ack, str(step))

    def watch() -> None:
        nonlocal step
        while True:
            time.sleep(POLL_S)
            try:
                new_step, new_at = _read(path)
            except (OSError, ValueError):
                continue  # between the test's write and rename
            if new_step != step:
                coordinates.move_to(new_at, tick=False)
                step = new_step
                _write(ack, str(step))

    threading.Thread(target=watch, name="shared-clock", daemon=True).start()


def main() -> None:
    clock, name, target, *args = sys.argv[1:]
    _follow(Path(clock), name)
    module, function = target.split(":")
    sys.argv = [name, *args]
    getattr(importlib.import_module(module), function)()


if __name__ == "__main__":
    main()
