"""Instants as integer microseconds since the epoch: exact differences across DST changes.

(Python subtracts two datetimes sharing a ZoneInfo as wall-clock times, ignoring the
offset change; arithmetic here never does that.)
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone
from typing import Generic, Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
US = 1_000_000
MINUTE_US = 60 * US
HOUR_US = 3600 * US
_DAY = timedelta(days=1)
_ONE_US = timedelta(microseconds=1)


def to_us(at: datetime) -> int:
    """Exact, in integers (a difference of aware datetimes is an exact timedelta)."""
    return (at - EPOCH) // _ONE_US


def from_us(us: int, tz: ZoneInfo) -> datetime:
    seconds, micro = divmod(us, US)
    return datetime.fromtimestamp(seconds, tz).replace(microsecond=micro)


class LocalIso:
    """`from_us(us, tz).isoformat()`, for many instants in one zone: each minute's local
    date, hour, minute and UTC offset are worked out once (a payroll file writes hundreds
    of thousands of instants on a few thousand minutes)."""

    LIMIT = 50_000  # minutes kept (about 10 MB): five weeks of them

    def __init__(self, tz: ZoneInfo):
        self.tz = tz
        self.minutes: dict[int, tuple[str, str] | None] = {}
        self.offsets: dict[str, str] = {}  # one string per offset, shared by the minutes

    def __call__(self, us: int) -> str:
        minute, rest = divmod(us, MINUTE_US)
        parts: tuple[str, str] | None | Literal[False] = self.minutes.get(minute, False)
        if parts is False:
            if len(self.minutes) >= self.LIMIT:
                self.minutes.clear()
            parts = self.minutes[minute] = self._minute(minute * MINUTE_US)
        if parts is None:
            return from_us(us, self.tz).isoformat()
        head, offset = parts
        if rest == 0:
            return f"{head}:00{offset}"
        seconds, micro = divmod(rest, US)
        if micro:
            return f"{head}:{seconds:02d}.{micro:06d}{offset}"
        return f"{head}:{seconds:02d}{offset}"

    def _minute(self, start: int) -> tuple[str, str] | None:
        """("YYYY-MM-DDTHH:MM", offset text) of the minute from `start`; None when its
        offset changes within it or is not whole minutes (local seconds differ from UTC's)."""
        first, last = from_us(start, self.tz), from_us(start + MINUTE_US - 1, self.tz)
        offset = first.utcoffset()
        if offset is None or offset != last.utcoffset() or offset % timedelta(minutes=1):  # (None: never, tz given)
            return None
        text = first.isoformat()
        return text[:16], self.offsets.setdefault(text[19:], text[19:])


def local_start_us(day: date, start: time, tz: ZoneInfo) -> int:
    """The instant a workday that starts at `start` on `day` begins, in `tz`."""
    return to_us(datetime.combine(day, start, tzinfo=tz))


class Workdays:
    """The workdays of one payroll zone, each beginning at `start` on the local clock
    (Lab. Code 500: "any 24 hours starting at the same time each day"; 23 or 25 hours
    across a DST change). Finds an instant's workday by bisection over the boundaries,
    computed once per day rather than once per question."""

    def __init__(self, tz: ZoneInfo, start: time):
        self.tz, self.start = tz, start
        self.first = date.min  # the workday that begins at cuts[0], once there are cuts
        self.cuts: list[int] = []

    def _cover(self, us: int) -> None:
        if not self.cuts:
            self.first = from_us(us, self.tz).date() - 2 * _DAY
            self.cuts = [local_start_us(self.first + i * _DAY, self.start, self.tz) for i in range(40)]
        while us < self.cuts[0]:
            self.first -= 32 * _DAY
            self.cuts[:0] = [local_start_us(self.first + i * _DAY, self.start, self.tz) for i in range(32)]
        while us >= self.cuts[-1]:
            after = self.first + len(self.cuts) * _DAY
            self.cuts += [local_start_us(after + i * _DAY, self.start, self.tz) for i in range(32)]

    def index(self, us: int) -> int:
        """The workday containing `us`, as a number of days after `self.first`."""
        if not self.cuts or not self.cuts[0] <= us < self.cuts[-1]:
            self._cover(us)
        return bisect_right(self.cuts, us) - 1

    def day(self, us: int) -> date:
        """The workday (named by its first calendar day) that contains instant `us`."""
        index = self.index(us)
        return self.first + index * _DAY

    def begins(self, day: date) -> int:
        """The instant workday `day` begins."""
        if not self.cuts:
            self._cover(local_start_us(day, self.start, self.tz))
        index = (day - self.first).days
        while not 0 <= index < len(self.cuts) - 1:
            self._cover(local_start_us(day, self.start, self.tz))
            index = (day - self.first).days
        return self.cuts[index]

    def boundaries(self, start: int, end: int) -> list[int]:
        """The workday boundaries strictly inside (start, end)."""
        self.index(end)
        first = self.index(start) + 1
        return self.cuts[first:bisect_left(self.cuts, end, first)]


class Interval(Protocol):
    """A span of instants (microseconds), as Overlaps reads it."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


SpanT = TypeVar("SpanT", bound=Interval)


class Overlaps(Generic[SpanT]):
    """Finds which of many time-ordered intervals overlap a span, without scanning them all."""

    def __init__(self, intervals: Sequence[SpanT]):
        self.intervals = intervals  # each has .start and .end; sorted by start
        self.starts = [i.start for i in intervals]
        self.longest = max((i.end - i.start for i in intervals), default=0)

    def during(self, start: int, end: int) -> list[SpanT]:
        first = bisect_left(self.starts, start - self.longest)
        last = bisect_left(self.starts, end)
        return [i for i in self.intervals[first:last] if i.end > start]
