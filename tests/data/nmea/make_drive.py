"""Write drive.nmea: a van leaves the North depot, drives to two job sites and back.

1 Hz GGA + RMC while moving, one pair every 10 s while parked, a tunnel (no fix) on the
way to the second site, and one fix with poor accuracy (HDOP 18). Deterministic:
`python -m tests.data.nmea.make_drive` rewrites the same file.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tests.fakes.nmea import fix_sentences

DEPOT = (41.8868, -87.6866)
SITE_1 = (41.8990, -87.6700)
SITE_2 = (41.8920, -87.6550)
START = datetime(2026, 3, 2, 13, 5, 0, tzinfo=timezone.utc)  # 07:05 in Chicago


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
        lines.append("".join(fix_sentences(start + timedelta(seconds=second), lat, lon, knots, course,
                                            second not in tunnel, 18.0 if poor else 0.9)))
    return lines, start + timedelta(seconds=seconds)


def _parked(start: datetime, place, seconds: int) -> tuple[list[str], datetime]:
    lines = ["".join(fix_sentences(start + timedelta(seconds=s), *place)) for s in range(10, seconds + 1, 10)]
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
