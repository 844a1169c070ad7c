"""The workweek: a fixed, recurring run of seven days starting on a set weekday (29 CFR
778.105). The one place its first day is worked out."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal, get_args

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)  # in order: index 0 is Monday, as date.weekday()


def week_start(day: date, week_start_day: int) -> date:
    """The first day of the workweek holding `day` (`week_start_day`: 0 = Monday)."""
    return day - timedelta(days=(day.weekday() - week_start_day) % 7)


def weeks_of(first_day: date, last_day: date, week_start_day: int) -> list[date]:
    """First days of the workweeks that overlap `first_day`..`last_day`."""
    first = week_start(first_day, week_start_day)
    return [first + timedelta(days=7 * i) for i in range((last_day - first).days // 7 + 1)]
