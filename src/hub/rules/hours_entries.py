"""Hours-only entries: worked time on a day with no punches ("2 h Training on Tuesday",
"1.5 h on WO-12"), each a whole number of minutes on one local date, to one task category
or work order. Counted as worked time on that workday, toward daily and weekly overtime
like clocked time; it has no time of day, so it never makes or fills a shift (docs/events.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from hub.rules.instants import MINUTE_US

DAY_MINUTES = 24 * 60  # at most a day's worth on one day, clocked time included
REASON_MAX = 500  # characters of the reason


class HoursEntryError(ValueError):
    """An hours-only entry that cannot be: `field` names what to fix."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class HoursEntry:
    """`work_order`: the work order's or task category's id, as visits and legs name them."""

    id: str
    tech: str
    day: date
    minutes: int
    work_order: str

    def __post_init__(self) -> None:
        if not 0 < self.minutes <= DAY_MINUTES:
            raise HoursEntryError("minutes", f"an hours-only entry is 1 to {DAY_MINUTES} minutes")

    @property
    def length(self) -> int:
        """Microseconds, as the engine counts time."""
        return self.minutes * MINUTE_US


_CLOCK = re.compile(r"(\d{1,2}):([0-5]\d)")


def minutes_of(text: str) -> int:
    """Minutes of a duration as people type it: hours ("2", "1.5", "1,25") or H:MM
    ("1:30"); exact, never through a float. Raises HoursEntryError (field `duration`)."""
    text = text.strip().lower().removesuffix("h").strip()
    clock = _CLOCK.fullmatch(text)
    if clock:
        minutes = int(clock[1]) * 60 + int(clock[2])
    else:
        try:
            hours = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise HoursEntryError("duration", f"{text[:20]!r} is not a duration; give hours (1.5) or H:MM (1:30)") \
                from None
        if not hours.is_finite() or abs(hours) > 24:
            raise HoursEntryError("duration", "a day has at most 24 hours")
        if (hours * 60) % 1:
            raise HoursEntryError("duration", "give the duration in whole minutes (1.5 or 1:30)")
        minutes = int(hours * 60)
    if minutes <= 0:
        raise HoursEntryError("duration", "the duration must be more than zero")
    if minutes > DAY_MINUTES:
        raise HoursEntryError("duration", "a day has at most 24 hours")
    return minutes


def day_problem(minutes: int, clocked_us: int, entered_minutes: int) -> str | None:
    """Why `minutes` more hours-only time cannot go on a day that already has `clocked_us`
    on the clock and `entered_minutes` of hours-only entries, or None if it fits."""
    total = clocked_us + (entered_minutes + minutes) * MINUTE_US
    if total > DAY_MINUTES * MINUTE_US:
        left = max(0, DAY_MINUTES * MINUTE_US - clocked_us) // MINUTE_US - entered_minutes
        return (f"the day would have more than 24 hours (clocked and hours-only together); "
                f"at most {max(0, left) // 60}:{max(0, left) % 60:02d} more fits")
    return None


def check_reason(reason: str | None) -> str:
    """The reason, trimmed; HoursEntryError (field `reason`) if missing or too long."""
    text = (reason or "").strip()
    if not text:
        raise HoursEntryError("reason", "say why these hours are entered")
    if len(text) > REASON_MAX:
        raise HoursEntryError("reason", f"keep the reason to {REASON_MAX} characters")
    return text
