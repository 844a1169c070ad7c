"""Position from gpsd: its JSON protocol over TCP, and which fixes are worth sending.

gpsd sends one JSON object a line; we ask for them with ?WATCH and keep TPV reports with
a 2D or 3D fix. Anything else (other classes, NaN, missing fields, broken lines) is
skipped with a log line, never a crash.
"""

from __future__ import annotations

import json
import logging
import math
import select
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from depotclock.wire.messages import EARLIEST, LATEST
from depotclock.wire.motion import MOVING_KMH, PARKED_HEARTBEAT_S, STOPPED_KMH

log = logging.getLogger(__name__)
WATCH = b'?WATCH={"enable":true,"json":true}\n'
MS_TO_KMH = 3.6
POLL_S = 0.2  # how soon a stop is noticed while gpsd is quiet
READ_BYTES = 65536
LONGEST_LINE = 65536  # gpsd's reports are a few kB at most
# gpsd's report classes (gpsd_json(5)) other than TPV: expected, and of no use to us.
OTHER_CLASSES = frozenset({
    "VERSION", "DEVICES", "DEVICE", "WATCH", "POLL", "SKY", "GST", "ATT", "IMU", "TOFF",
    "PPS", "OSC", "RAW", "RTCM2", "RTCM3", "AIS", "SUBFRAME", "ERROR",
})


class Skipped:
    """Logs garbage from gpsd: the 1st, 10th, 100th, ... time of each kind on one
    connection, so a receiver stuck sending it once a second does not fill the log."""

    def __init__(self):
        self.counts: dict[str, int] = {}

    def __call__(self, reason: str, line: bytes | str) -> None:
        count = self.counts[reason] = self.counts.get(reason, 0) + 1
        if math.log10(count).is_integer():
            log.warning("skipped gpsd report (%s; %d so far): %.120r", reason, count, line)


class GpsdUnavailable(Exception):
    """gpsd is not answering; the unit retries."""


@dataclass(frozen=True)
class Fix:
    at: datetime  # the GPS's own time
    lat: float
    lon: float
    speed_kmh: float
    heading_deg: float | None
    accuracy_m: float | None
    mode: int


def _number(report: dict, key: str) -> float | None:
    value = report.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def parse_report(line: bytes | str, skip: Skipped | None = None) -> Fix | None:
    """A Fix from one gpsd line, or None (with a log line, through `skip`, when it was garbage)."""
    skip = skip or Skipped()
    try:
        report = json.loads(line)
    except ValueError:
        skip("not JSON", line)
        return None
    if not isinstance(report, dict):
        skip("not an object", line)
        return None
    kind = report.get("class")
    if kind != "TPV":
        if kind not in OTHER_CLASSES:
            skip(f"unknown class {kind!r}", line)
        return None
    mode = report.get("mode")
    if isinstance(mode, bool) or not isinstance(mode, int):
        skip("TPV without a mode", line)
        return None
    if mode < 2:
        return None  # no fix yet (or lost: a tunnel)
    lat, lon = _number(report, "lat"), _number(report, "lon")
    try:
        at = datetime.fromisoformat(str(report.get("time", "")).replace("Z", "+00:00"))
    except ValueError:
        at = None
    if lat is None or lon is None or at is None or at.tzinfo is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        skip("TPV fix without a usable time or position", line)
        return None
    speed = _number(report, "speed")
    heading = _number(report, "track")
    errors = [e for e in (_number(report, "eph"), _number(report, "epx"), _number(report, "epy")) if e is not None]
    return Fix(
        at=at,
        lat=lat,
        lon=lon,
        speed_kmh=max(0.0, (speed or 0.0) * MS_TO_KMH),
        heading_deg=None if heading is None else heading % 360,
        accuracy_m=max(errors) if errors else None,
        mode=mode,
    )


def gpsd_fixes(host: str, port: int, stop: threading.Event, timeout: float = 10.0) -> Iterator[Fix]:
    """Fixes from a gpsd until it closes the connection or `stop` is set (noticed within
    POLL_S, so a unit stops at once); GpsdUnavailable if it cannot be reached, says
    nothing for `timeout` or goes away."""
    try:
        connection = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        raise GpsdUnavailable(f"cannot reach gpsd at {host}:{port}: {exc}") from None
    with connection:
        connection.sendall(WATCH)
        skipped = Skipped()
        try:
            for line in _lines(connection, stop, timeout, skipped):
                fix = parse_report(line, skipped)
                if fix is not None:
                    yield fix
        except OSError as exc:
            raise GpsdUnavailable(f"gpsd at {host}:{port} went away: {exc}") from None


def _lines(connection: socket.socket, stop: threading.Event, timeout: float, skipped: Skipped) -> Iterator[bytes]:
    """The connection's lines until it closes or `stop` is set; TimeoutError after
    `timeout` without a byte. A line longer than LONGEST_LINE is no gpsd report: skipped."""
    pending, heard = b"", time.monotonic()
    while not stop.is_set():
        if not select.select([connection], [], [], POLL_S)[0]:
            if time.monotonic() - heard > timeout:
                raise TimeoutError(f"nothing for {timeout:.0f} s")
            continue
        chunk = connection.recv(READ_BYTES)
        if not chunk:
            return
        heard = time.monotonic()
        *lines, pending = (pending + chunk).split(b"\n")
        if len(pending) > LONGEST_LINE:
            skipped(f"a line longer than {LONGEST_LINE} bytes", pending[:80])
            pending = b""
        yield from lines


class FixFilter:
    """While moving, a fix every `moving_every_s` or on a turn; parked, a heartbeat only.
    The first fix after starting or stopping always goes: it is where a leg begins or ends.
    A parked van starts moving at `moving_kmh` and a moving one stops below `parked_kmh`,
    so a receiver's speed drift while parked, or a crawl in traffic, is not a start and a
    stop every few seconds. The defaults are the wire's (`depotclock.wire.motion`): what
    the hub counts as moving always reaches it at the moving cadence."""

    def __init__(self, moving_every_s=5.0, turn_deg=30.0, parked_every_s=PARKED_HEARTBEAT_S,
                 moving_kmh=MOVING_KMH, parked_kmh=STOPPED_KMH):
        self.moving_every = timedelta(seconds=moving_every_s)
        self.parked_every = timedelta(seconds=parked_every_s)
        self.turn_deg, self.moving_kmh, self.parked_kmh = turn_deg, moving_kmh, parked_kmh
        self._last: Fix | None = None
        self._last_moving = False

    def _moving(self, fix: Fix) -> bool:
        threshold = self.parked_kmh if self._last is not None and self._last_moving else self.moving_kmh
        return fix.speed_kmh >= threshold

    def _turned(self, fix: Fix) -> bool:
        if self._last is None:
            return False
        before, now = self._last.heading_deg, fix.heading_deg
        if before is None or now is None:
            return False
        return abs((now - before + 180) % 360 - 180) >= self.turn_deg

    def accept(self, fix: Fix) -> bool:
        last, moving = self._last, self._moving(fix)
        # A receiver's time that goes back (its own UTC message correcting a week
        # rollover) starts afresh: measured from the later time, no fix would pass for years.
        if last is None or moving != self._last_moving or fix.at < last.at:
            keep = True
        elif moving:
            keep = fix.at - last.at >= self.moving_every or self._turned(fix)
        else:
            keep = fix.at - last.at >= self.parked_every
        if keep:
            self._last, self._last_moving = fix, moving
        return keep


GPS_WEEK_ROLLOVER = timedelta(weeks=1024)  # the legacy 10-bit week number's era
MAX_ROLLOVERS = 6  # the GPS epoch (1980) to the wire's last instant (2100): six eras


def dated(fix: Fix, synced_now: datetime | None, tolerance_s: float) -> Fix | str:
    """The fix with a time the unit may send, or why it has none.

    A receiver past a GPS week rollover it was not built for dates its fixes 1024 weeks
    (or a multiple) too early: 1999-08 after the 2019 rollover, 1980 when gpsd started
    before the system clock was set (gpsd's regression logs have both). Such a time, before
    2000, is moved on by 1024 weeks until it is possible. With a synchronised clock
    (`synced_now`), the result must agree with it within `tolerance_s`, and no fix may be
    dated further ahead of it than that (the hub refuses those, depotclock.wire.horizon)."""
    at, rollovers = fix.at, 0
    while at < EARLIEST and rollovers < MAX_ROLLOVERS:
        at, rollovers = at + GPS_WEEK_ROLLOVER, rollovers + 1
    corrected = f" ({at.isoformat()} after {rollovers} GPS week rollovers)" if rollovers else ""
    if not EARLIEST <= at < LATEST:
        return f"dated {fix.at.isoformat()}{corrected}: not a possible instant"
    if synced_now is not None:
        tolerance = timedelta(seconds=tolerance_s)
        if at - synced_now > tolerance or (rollovers and synced_now - at > tolerance):
            return (f"dated {fix.at.isoformat()}{corrected}, but the synchronised clock says "
                    f"{synced_now.isoformat()}")
    return replace(fix, at=at) if rollovers else fix


def clock_offset(fix: Fix, system_now: datetime) -> timedelta:
    """How far the system clock is from GPS time (system minus GPS): when the system clock
    is not synchronised, the unit stamps its events with GPS time instead."""
    return system_now - fix.at
