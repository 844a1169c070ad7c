"""Write drive.nmea: a van leaves the North depot, drives to two job sites and back.

1 Hz GGA + RMC while moving, one pair every 10 s while parked, a tunnel (no fix) on the
way to the second site, and one fix with poor accuracy (HDOP 18). Deterministic:
`python tests/data/nmea/make_drive.py` rewrites the same file.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from functools import reduce
from pathlib import Path

DEPOT = (41.8868, -87.6866)
SITE_1 = (41.8990, -87.6700)
SITE_2 = (41.8920, -87.6550)
START = datetime(2026, 3, 2, 13, 5, 0, tzinfo=timezone.utc)  # 07:05 in Chicago


def _checksum(body: str) -> str:
    return f"{reduce(lambda a, c: a ^ ord(c), body, 0):02X}"


def _sentence(body: str) -> str:
    return f"${body}*{_checksum(body)}\r\n"


def _coord(value: float, positive: str, negative: str, width: int) -> tuple[str, str]:
    degrees = int(abs(value))
    minutes = (abs(value) - degrees) * 60
    return f"{degrees:0{width}d}{minutes:07.4f}", positive if value >= 0 else negative


def _pair(at: datetime, lat: float, lon: float, knots: float, course: float, fix: bool, hdop: float) -> str:
    hms = at.strftime("%H%M%S") + ".00"
    la, ns = _coord(lat, "N", "S", 2)
    lo, ew = _coord(lon, "E", "W", 3)
    quality, status, satellites = ("1", "A", "09") if fix else ("0", "V", "00")
    gga = f"GPGGA,{hms},{la},{ns},{lo},{ew},{quality},{satellites},{hdop:.1f},181.0,M,-34.0,M,,"
    rmc = f"GPRMC,{hms},{status},{la},{ns},{lo},{ew},{knots:.1f},{course:.1f},{at:%d%m%y},,,{'A' if fix else 'N'}"
    return _sentence(gga) + _sentence(rmc)


def _leg(start: datetime, a, b, seconds: int, tunnel=range(0)) -> tuple[list[str], datetime]:
    lines = []
    north = (b[0] - a[0]) * 111_000
    east = (b[1] - a[1]) * 111_000 * math.cos(math.radians(a[0]))
    course = math.degrees(math.atan2(east, north)) % 360
    knots = math.hypot(north, east) / seconds / 0.514444
    for second in range(seconds + 1):
        f = second / seconds
        lat, lon = a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f
        poor = second == seconds // 2
        lines.append(_pair(start + timedelta(seconds=second), lat, lon, knots, course,
                           second not in tunnel, 18.0 if poor else 0.9))
    return lines, start + timedelta(seconds=seconds)


def _parked(start: datetime, place, seconds: int) -> tuple[list[str], datetime]:
    lines = [_pair(start + timedelta(seconds=s), *place, 0.0, 0.0, True, 0.9) for s in range(10, seconds + 1, 10)]
    return lines, start + timedelta(seconds=seconds)


def drive() -> str:
    lines, t = _parked(START - timedelta(seconds=30), DEPOT, 30)
    for step in (
        lambda t: _leg(t, DEPOT, SITE_1, 120),
        lambda t: _parked(t, SITE_1, 120),
        lambda t: _leg(t, SITE_1, SITE_2, 100, tunnel=range(40, 60)),
        lambda t: _parked(t, SITE_2, 90),
        lambda t: _leg(t, SITE_2, DEPOT, 150),
        lambda t: _parked(t, DEPOT, 30),
    ):
        more, t = step(t)
        lines += more
    return "".join(lines)


if __name__ == "__main__":
    Path(__file__).with_name("drive.nmea").write_text(drive())
