"""Ignition through an optocoupler on a GPIO, debounced.

Contact chatter and the voltage dip while cranking must not become trips: the line must
stay on for `bounce_s` before ON is reported, and stay off for `off_hold_s` before OFF is.
Each change carries the instant the line actually changed, not when it was confirmed.
Longer engine-off stops (a fuel stop) are the hub's to merge or split (its leg policy).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class IgnitionChange:
    on: bool
    at: datetime


class IgnitionDebouncer:
    """Pure state machine: fed raw line edges and clock ticks, it emits confirmed changes."""

    def __init__(self, bounce_s: float = 0.2, off_hold_s: float = 20.0, initial: bool = False):
        self.bounce = timedelta(seconds=bounce_s)
        self.off_hold = timedelta(seconds=off_hold_s)
        self.state = initial  # the reported state
        self._line = initial
        self._since: datetime | None = None  # when the line left the reported state

    def edge(self, on: bool, at: datetime) -> None:
        """The raw line changed to `on` at `at`."""
        if on == self._line:
            return
        self._line = on
        self._since = None if on == self.state else at

    def tick(self, now: datetime) -> IgnitionChange | None:
        """A change confirmed by `now`, if any."""
        if self._since is None:
            return None
        hold = self.bounce if self._line else self.off_hold
        if now - self._since < hold:
            return None
        change = IgnitionChange(self._line, self._since)
        self.state, self._since = self._line, None
        return change


class IgnitionSource(Protocol):
    """Where the unit's ignition comes from: the GPIO line, or OBD-II (firmware.obd_ignition)."""

    debouncer: IgnitionDebouncer

    def poll(self) -> IgnitionChange | None: ...

    def close(self) -> None: ...


class IgnitionSensor:
    """The optocoupler input: active (ignition on) when it pulls the pin low."""

    def __init__(
        self,
        pin: int,
        debouncer: IgnitionDebouncer,
        now: Callable[[], datetime],
        pin_factory=None,
    ):
        from gpiozero import DigitalInputDevice

        self.debouncer, self.now = debouncer, now
        self.device = DigitalInputDevice(pin, pull_up=True, pin_factory=pin_factory)
        self.debouncer.edge(self.device.is_active, now())
        self.device.when_activated = lambda: self.debouncer.edge(True, self.now())
        self.device.when_deactivated = lambda: self.debouncer.edge(False, self.now())

    def poll(self) -> IgnitionChange | None:
        return self.debouncer.tick(self.now())

    def close(self) -> None:
        self.device.close()
