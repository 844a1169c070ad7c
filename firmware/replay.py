"""A recorded route played through the real unit: `depotclock vehicle simulate`.

The route's times of day are laid on one date in the route's zone and played at `speed`
times real time. Fixes go to the unit in place of gpsd's; ignition changes drive the
ignition's GPIO pin through gpiozero's mock pin factory (the lowest seam there is without
a GPIO); a badge tapped in the cab is written to the cab's simulated reader, when the van
has one. Everything else is the unit as it runs in a van: journal, forwarder, batches,
status.

A route is CSV (see `routes/make_van12_day.py`): a `# zone: <IANA zone>` comment, a
header, then one line per event, in time order:

```
time,event,value,lat,lon,speed_kmh,heading_deg,accuracy_m
07:16:30,driver,DEADBEEF,,,,,
07:18:00,ignition,on,,,,,
07:20:06,fix,,41.886798,-87.686617,5.0,270.0,4.2
```
"""

from __future__ import annotations

import csv
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from datetime import time as time_of_day
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from depotclock.errors import DepotClockError
from depotclock.wire.badge import BadgeError, check_badge_id
from firmware.gps import Fix
from firmware.ignition import IgnitionDebouncer

log = logging.getLogger(__name__)
DEFAULT_ROUTE = Path(__file__).with_name("routes") / "van-12-chicago.csv"
EVENTS = ("fix", "ignition", "driver")


class RouteError(DepotClockError):
    """A route file that cannot be played; the message names the file and line."""


@dataclass(frozen=True)
class RouteEvent:
    at: datetime
    kind: str  # fix | ignition | driver
    fix: Fix | None = None
    on: bool | None = None
    badge: str | None = None


def _zone(path: Path, lines: list[str]) -> ZoneInfo:
    for line in lines:
        if line.startswith("#") and line[1:].strip().startswith("zone:"):
            name = line.split("zone:", 1)[1].strip()
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                raise RouteError(f"{path}: {name!r} is not a time zone") from None
    raise RouteError(f"{path}: no '# zone: <IANA zone>' line")


def _number(row: dict, key: str) -> float | None:
    return float(row[key]) if row[key] else None


def _event(row: dict, day: date, zone: ZoneInfo) -> RouteEvent:
    at = datetime.combine(day, time_of_day.fromisoformat(row["time"]), zone).astimezone(timezone.utc)
    kind, value = row["event"], row["value"]
    if kind == "fix":
        fix = Fix(at, float(row["lat"]), float(row["lon"]), float(row["speed_kmh"]),
                  _number(row, "heading_deg"), _number(row, "accuracy_m"), mode=3)
        if not (-90 <= fix.lat <= 90 and -180 <= fix.lon <= 180 and fix.speed_kmh >= 0):
            raise ValueError("position or speed out of range")
        return RouteEvent(at, kind, fix=fix)
    if kind == "ignition":
        if value not in ("on", "off"):
            raise ValueError(f"ignition is 'on' or 'off', not {value!r}")
        return RouteEvent(at, kind, on=value == "on")
    if kind == "driver":
        return RouteEvent(at, kind, badge=check_badge_id(value))
    raise ValueError(f"event is one of {', '.join(EVENTS)}, not {kind!r}")


def load_route(path: Path, day: date | None = None) -> list[RouteEvent]:
    """The route's events on `day` (default: today in the route's zone), in time order."""
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise RouteError(f"cannot read the route {path}: {exc}") from None
    zone = _zone(path, lines)
    day = day or datetime.now(zone).date()
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]
    rows = csv.DictReader([line for _, line in numbered])
    events = []
    for (number, _), row in zip(numbered[1:], rows, strict=True):
        try:
            events.append(_event(row, day, zone))
        except (ValueError, TypeError, KeyError, BadgeError) as exc:
            raise RouteError(f"{path}, line {number}: {exc}") from None
        if len(events) > 1 and events[-1].at < events[-2].at:
            raise RouteError(f"{path}, line {number}: earlier than the line before")
    if not events:
        raise RouteError(f"{path}: no events")
    return events


class SimulatedClock:
    """The route's time, running `speed` times faster than real time from `start`."""

    def __init__(self, start: datetime, speed: float, monotonic: Callable[[], float] = time.monotonic):
        self.start, self.speed, self.monotonic = start, speed, monotonic
        self._t0 = monotonic()
        self._held: datetime | None = None

    def now(self) -> datetime:
        held = self._held
        if held is not None:
            return held
        return self.start + timedelta(seconds=(self.monotonic() - self._t0) * self.speed)

    @contextmanager
    def held_at(self, at: datetime) -> Iterator[None]:
        """While an event is played the clock shows its recorded time, so what the unit
        stamps then (an ignition edge) carries the route's instant, not a thread's lateness."""
        self._held = at
        try:
            yield
        finally:
            self._held = None

    def real_seconds_until(self, at: datetime) -> float:
        return (at - self.now()).total_seconds() / self.speed


class RouteReplay:
    """Plays `events` on `clock`: `fixes` is the unit's GPS source, `ignition_pin` a mock
    pin of the ignition's input, `badge_feed` the FIFO of the cab's simulated reader."""

    def __init__(
        self,
        events: list[RouteEvent],
        clock: SimulatedClock,
        ignition_pin,
        badge_feed: Path | None = None,
        debouncer: IgnitionDebouncer | None = None,
    ):
        self.events, self.clock, self.pin, self.badge_feed = events, clock, ignition_pin, badge_feed
        self.debouncer = debouncer  # the unit's: to wait until it has reported a change
        self.finished = threading.Event()
        self._fixes: queue.Queue[Fix] = queue.Queue()
        self._stop = threading.Event()

    def fixes(self, stop: threading.Event) -> Iterator[Fix]:
        while not self._stop.is_set() and not stop.is_set():
            try:
                fix = self._fixes.get(timeout=0.2)
            except queue.Empty:
                continue
            try:
                yield fix
            finally:
                self._fixes.task_done()  # the unit has taken it in and asks for the next

    def _wait(self, done: Callable[[], bool]) -> None:
        while not done() and not self._stop.wait(0.005):
            pass

    def will_report(self, index: int) -> bool:
        """Whether the unit is to report ignition change `index`: the line stays so for
        longer than the debouncer holds (a shorter dip is for the unit to ignore)."""
        event = self.events[index]
        if self.debouncer is None:
            return True  # nothing holds a change back
        hold = self.debouncer.bounce if event.on else self.debouncer.off_hold
        later = (e for e in self.events[index + 1 :] if e.kind == "ignition")
        following = next(later, None)
        return following is None or following.at - event.at > hold

    def _change_ignition(self, index: int) -> None:
        event = self.events[index]
        self._wait(lambda: not self._fixes.unfinished_tasks)  # earlier fixes first, as in a van
        # The optocoupler conducts with the ignition on and pulls the input low.
        with self.clock.held_at(event.at):
            self.pin.drive_low() if event.on else self.pin.drive_high()
        debouncer = self.debouncer
        if debouncer is not None and self.will_report(index):
            # Played at speed, a machine that stalls for a moment could miss a short stop
            # (the fuel stop lasts 0.2 s at 1800x): wait until the unit has seen it.
            self._wait(lambda: debouncer.state == event.on)

    def _tap(self, badge: str) -> None:
        if self.badge_feed is None:
            log.info("driver badge %s: the van has no simulated cab reader; not tapped", badge)
            return
        try:
            fd = os.open(self.badge_feed, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            log.warning("driver badge %s not tapped: %s", badge, exc)
            return
        try:
            os.write(fd, f"{badge}\n".encode())
        finally:
            os.close(fd)

    def run(self) -> None:
        """Play every event at its time, then return (the van stays parked)."""
        for index, event in enumerate(self.events):
            if self._stop.wait(max(0.0, self.clock.real_seconds_until(event.at))):
                return
            if event.kind == "fix":
                assert event.fix is not None  # _event() gives a fix event its fix
                self._fixes.put(event.fix)
            elif event.kind == "ignition":
                self._change_ignition(index)
            else:
                assert event.badge is not None  # _event() gives a driver event its badge
                self._tap(event.badge)
        if self._stop.is_set():
            return
        log.info("the route is over at %s; the van stays parked", self.events[-1].at.isoformat())
        self.finished.set()

    def stop(self) -> None:
        self._stop.set()
