"""Instants as integer microseconds since the epoch: exact differences across DST changes.

(Python subtracts two datetimes sharing a ZoneInfo as wall-clock times, ignoring the
offset change; arithmetic here never does that.)
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
US = 1_000_000
HOUR_US = 3600 * US


def to_us(at: datetime) -> int:
    """Exact for any instant with microsecond resolution before the year 2255: a double
    holds every integer below 2**53, and 2**53 microseconds is 285 years."""
    return round(at.timestamp() * US)


def from_us(us: int, tz: ZoneInfo) -> datetime:
    return (EPOCH + timedelta(microseconds=us)).astimezone(tz)


@lru_cache(maxsize=65536)
def local_start_us(day: date, start: time, tz: ZoneInfo) -> int:
    """The instant a workday or workweek that starts at `start` on `day` begins, in `tz`."""
    return to_us(datetime.combine(day, start, tzinfo=tz))


def local_date(us: int, start: time, tz: ZoneInfo) -> date:
    """The workday (named by its first calendar day) that contains instant `us`."""
    local = from_us(us, tz)
    day = local.date()
    return day if local_start_us(day, start, tz) <= us else day - timedelta(days=1)
