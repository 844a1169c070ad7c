"""Instants as integer microseconds since the epoch: exact differences across DST changes.

(Python subtracts two datetimes sharing a ZoneInfo as wall-clock times, ignoring the
offset change; arithmetic here never does that.)
"""

from __future__ import annotations

from bisect import bisect_left
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
    seconds, micro = divmod(us, US)
    return datetime.fromtimestamp(seconds, tz).replace(microsecond=micro)


@lru_cache(maxsize=65536)
def local_start_us(day: date, start: time, tz: ZoneInfo) -> int:
    """The instant a workday or workweek that starts at `start` on `day` begins, in `tz`."""
    return to_us(datetime.combine(day, start, tzinfo=tz))


def local_date(us: int, start: time, tz: ZoneInfo) -> date:
    """The workday (named by its first calendar day) that contains instant `us`."""
    local = from_us(us, tz)
    day = local.date()
    return day if local_start_us(day, start, tz) <= us else day - timedelta(days=1)


class Overlaps:
    """Finds which of many time-ordered intervals overlap a shift, without scanning them all."""

    def __init__(self, intervals: list):
        self.intervals = intervals  # each has .start and .end; sorted by start
        self.starts = [i.start for i in intervals]
        self.longest = max((i.end - i.start for i in intervals), default=0)

    def during(self, start: int, end: int) -> list:
        first = bisect_left(self.starts, start - self.longest)
        last = bisect_left(self.starts, end)
        return [i for i in self.intervals[first:last] if i.end > start]
