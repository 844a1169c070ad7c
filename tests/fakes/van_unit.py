"""`depotclock vehicle run` as a van runs it, with the test's hand on the ignition key.

Run as `python -m tests.fakes.van_unit KEY PIN depotclock-args...`: the real command,
with two seams a test machine has no stand-in for replaced at their lowest point:

- the GPIO: gpiozero's mock pin factory, whose ignition pin follows the lines `on` and
  `off` written to the FIFO `KEY` (the optocoupler pulls the pin low with the ignition on),
  each acknowledged in `KEY.done`;
- the kernel's NTP status (adjtimex), which says synchronised: this van's clock is the
  test's clock, so its events carry that time rather than one derived from GPS.

Positions come from whatever gpsd the settings name (gpsfake, in the tests).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path


def _turn_key(key: Path, pin) -> None:
    """Follow the FIFO's lines; after each, write how many were done to `KEY.done`, so the
    test moves the clock only once the edge carries the instant it meant."""
    if not key.exists():
        os.mkfifo(key)
    fd = os.open(key, os.O_RDWR)  # a writer of our own: no end-of-file between two turns
    done, buffer = 0, b""
    with os.fdopen(fd, "rb", buffering=0) as lines:
        while chunk := lines.read(64):
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                pin.drive_low() if line.strip() == b"on" else pin.drive_high()
                done += 1
                key.with_name(key.name + ".done").write_text(str(done))


def main() -> None:
    from gpiozero import Device
    from gpiozero.pins.mock import MockFactory

    from depotclock import clock
    from depotclock.cli import main as depotclock

    key, pin, *args = sys.argv[1:]
    Device.pin_factory = MockFactory()
    clock.system_clock_synced = lambda: True
    ignition = Device.pin_factory.pin(int(pin))
    threading.Thread(target=_turn_key, args=(Path(key), ignition), name="ignition-key", daemon=True).start()
    sys.argv = ["depotclock", *args]
    depotclock()


if __name__ == "__main__":
    main()
