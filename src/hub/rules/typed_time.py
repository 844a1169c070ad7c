"""Times and dates as people type them into a form: `7:05`, `07.05`, `0705`, `7:05 pm`,
`19:05` and ISO dates (`2026-03-02`). Each is read whole or refused with a message; a
time is never cut short (Python's `time.fromisoformat("07.05")` reads 07:00 and five
hundredths of a second, which saved 07:00 for a clock-out typed as 07.05)."""

from __future__ import annotations

import re
from datetime import date, time

MAX_LENGTH = 20  # the longest sensible entry, "12:30:00 p.m." with room to spare
EXAMPLES = "like 7:05, 07.05, 0705, 7:05 pm or 19:05"
_TIME = re.compile(
    r"(?P<hour>[0-9]{1,2})(?:[:.h](?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?)?\s*(?P<half>[ap]\.?m\.?)?",
    re.ASCII | re.IGNORECASE)
_COMPACT = re.compile(r"(?P<hour>[0-9]{1,2})(?P<minute>[0-9]{2})\s*(?P<half>[ap]\.?m\.?)?", re.ASCII | re.IGNORECASE)
_DATE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})", re.ASCII)


class NotATime(ValueError):
    """The text is not a time or date; the message says what to type instead."""


def parse_time(text: str | None) -> time:
    """A wall-clock time from what was typed: 24-hour (`19:05`, `19.05`, `1905`, `19`) or
    12-hour with am/pm (`7:05 pm`, `7pm`, `12:30 a.m.`)."""
    typed = (text or "").strip()
    if not typed:
        raise NotATime(f"give a time, {EXAMPLES}")
    if len(typed) > MAX_LENGTH:
        raise NotATime(f"{typed[:MAX_LENGTH]}… is too long for a time; type it {EXAMPLES}")
    found = _TIME.fullmatch(typed) or _COMPACT.fullmatch(typed)
    if found is None:
        raise NotATime(f"“{typed}” is not a time; type it {EXAMPLES}")
    parts = found.groupdict()
    hour, minute = int(parts["hour"]), int(parts["minute"] or 0)
    second = int(parts.get("second") or 0)
    half = (parts["half"] or "").lower().replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            raise NotATime(f"“{typed}” is not a time: with am or pm the hour is 1 to 12")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise NotATime(f"“{typed}” is not a time of day (00:00 to 23:59); type it {EXAMPLES}")
    return time(hour, minute, second)


def parse_date(text: str | None) -> date:
    """A calendar date written the ISO way, YYYY-MM-DD (what a date input sends)."""
    typed = (text or "").strip()
    if not typed:
        raise NotATime("give a date as YYYY-MM-DD")
    found = _DATE.fullmatch(typed) if len(typed) <= MAX_LENGTH else None
    if found is None:
        raise NotATime(f"“{typed[:MAX_LENGTH]}” is not a date: give a date as YYYY-MM-DD, e.g. 2026-03-02")
    try:
        return date(int(found["year"]), int(found["month"]), int(found["day"]))
    except ValueError:
        raise NotATime(f"there is no day {typed}; give a date as YYYY-MM-DD") from None
