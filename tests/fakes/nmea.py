"""NMEA 0183 as a GPS receiver writes it (GGA + RMC a fix), for gpsfake to feed gpsd."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from functools import reduce

M_PER_DEG_LAT = 111_000.0
M_S_PER_KNOT = 0.514444


def _sentence(body: str) -> str:
    checksum = reduce(lambda a, c: a ^ ord(c), body, 0)
    return f"${body}*{checksum:02X}\r\n"


def _coord(value: float, positive: str, negative: str, width: int) -> tuple[str, str]:
    degrees = int(abs(value))
    minutes = (abs(value) - degrees) * 60
    return f"{degrees:0{width}d}{minutes:07.4f}", positive if value >= 0 else negative


# Satellites in view and no position: gpsd reports SKY, which a unit reads past.
SATELLITES = _sentence("GPGSV,1,1,04,01,40,083,46,02,17,308,41,12,07,344,39,14,22,228,45")


def fix_sentences(at: datetime, lat: float, lon: float, knots: float = 0.0, course: float = 0.0,
                  fix: bool = True, hdop: float = 0.9) -> list[str]:
    """One fix at `at` (UTC): a GGA and an RMC sentence."""
    hms = at.strftime("%H%M%S") + ".00"
    la, ns = _coord(lat, "N", "S", 2)
    lo, ew = _coord(lon, "E", "W", 3)
    quality, status, satellites = ("1", "A", "09") if fix else ("0", "V", "00")
    gga = f"GPGGA,{hms},{la},{ns},{lo},{ew},{quality},{satellites},{hdop:.1f},181.0,M,-34.0,M,,"
    rmc = f"GPRMC,{hms},{status},{la},{ns},{lo},{ew},{knots:.1f},{course:.1f},{at:%d%m%y},,,{'A' if fix else 'N'}"
    return [_sentence(gga), _sentence(rmc)]


def straight_drive(start: datetime, a: tuple[float, float], b: tuple[float, float], seconds: int,
                   every_s: int = 10) -> list[str]:
    """A van driving from `a` to `b` at a steady speed in `seconds`: a fix every `every_s`,
    from the first second of the drive to its arrival."""
    north = (b[0] - a[0]) * M_PER_DEG_LAT
    east = (b[1] - a[1]) * M_PER_DEG_LAT * math.cos(math.radians(a[0]))
    course = math.degrees(math.atan2(east, north)) % 360
    knots = math.hypot(north, east) / seconds / M_S_PER_KNOT
    lines = []
    for second in [*range(every_s, seconds, every_s), seconds]:
        f = second / seconds
        lat, lon = a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f
        lines += fix_sentences(start + timedelta(seconds=second), lat, lon,
                               knots if second < seconds else 0.0, course)
    return lines
