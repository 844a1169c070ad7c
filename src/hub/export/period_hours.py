"""A timesheet's paid hours in one pay period, by pay code, and the worked time behind
them, cut where a day's regular hours end and overtime begins. Pure.

29 CFR 778.106: regular hours are paid in the period they were worked; a workweek's
overtime, double time and premiums in the period where the workweek ends, which is what
the engine's PayPeriodSheet holds. A day's worked time is regular first, then overtime,
then double time, in time order: daily overtime is the hours past 8 (or 12), weekly
overtime the hours past 40 in the week, and both come after the regular ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from hub.rules.instants import HOUR_US
from hub.rules.segments import Category
from hub.rules.sheets import DaySheet, Timesheet


class PayCode(StrEnum):
    REGULAR = "regular"
    OVERTIME = "overtime"
    DOUBLE_TIME = "double_time"
    PREMIUM = "premium"  # California meal/rest premium, Lab. Code 226.7: whole hours
    HOLIDAY = "holiday"  # holiday hours paid, not worked (rules/holidays.py)
    HOLIDAY_WORKED = "holiday_worked"  # regular hours worked on a holiday, at the holiday rate


WORDS = {  # each pay code as payroll reads it
    PayCode.REGULAR: "regular hours", PayCode.OVERTIME: "overtime hours", PayCode.DOUBLE_TIME: "double-time hours",
    PayCode.PREMIUM: "premium pay (California meal/rest premium hours)",
    PayCode.HOLIDAY: "holiday hours (paid, not worked)",
    PayCode.HOLIDAY_WORKED: "hours worked on a holiday (at the holiday rate)",
}
WORKED_CODES = (PayCode.REGULAR, PayCode.HOLIDAY_WORKED, PayCode.OVERTIME, PayCode.DOUBLE_TIME)


@dataclass(frozen=True, order=True)
class PayPeriod:
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


class PeriodHours(NamedTuple):
    """Exact microseconds per pay code (premium too, as whole hours in microseconds), in
    PayCode's order."""

    regular: int = 0
    overtime: int = 0
    double_time: int = 0
    premium: int = 0
    holiday: int = 0
    holiday_worked: int = 0

    def of(self, code: PayCode) -> int:
        return getattr(self, code.value)

    @property
    def worked(self) -> int:
        return self.regular + self.overtime + self.double_time + self.holiday_worked


def period_hours(timesheet: Timesheet, period: PayPeriod) -> PeriodHours:
    """The engine's figures for `period` (zero when nothing was worked in it)."""
    for sheet in timesheet.periods:
        if sheet.start == period.start:
            return PeriodHours(sheet.regular, sheet.overtime, sheet.double_time,
                               sheet.premium_hours * HOUR_US, sheet.holiday, sheet.holiday_worked)
    return PeriodHours()


class Piece(NamedTuple):
    """Worked time of one pay code within one segment."""

    workday: date
    start: int
    end: int
    category: Category
    work_order: str | None
    code: PayCode

    @property
    def length(self) -> int:
        return self.end - self.start


def _weeks_ending_in(timesheet: Timesheet, period: PayPeriod) -> list[date]:
    return [w.start for w in timesheet.weeks if w.start + timedelta(days=6) in period]


def _in_weeks(day: date, week_starts: list[date]) -> bool:
    return any(start <= day < start + timedelta(days=7) for start in week_starts)


def day_pieces(day: DaySheet) -> list[Piece]:
    """A day's worked segments (unpaid meals left out), regular (or worked on a holiday)
    first, then overtime, then double time, in time order."""
    pieces: list[Piece] = []
    _add_day_pieces(day, pieces, True, True)
    return pieces


def _add_day_pieces(day: DaySheet, into: list[Piece], regular: bool, premium: bool) -> None:
    """`day_pieces` appended to `into`: only the regular ones (and those worked on a
    holiday) if `regular`, only the others (overtime, double time) if `premium`."""
    limits = ((PayCode.REGULAR, day.regular, regular), (PayCode.HOLIDAY_WORKED, day.holiday_worked, regular),
              (PayCode.OVERTIME, day.overtime, premium), (PayCode.DOUBLE_TIME, day.double_time, premium))
    level = 0
    code, left, wanted = limits[0]
    for workday, start, end, category, work_order in _worked_spans(day):
        while start < end:
            while left == 0 and level < 3:
                level += 1
                code, left, wanted = limits[level]
            stop = min(end, start + left) if left > 0 else end
            if wanted:
                into.append(Piece(workday, start, stop, category, work_order, code))
            left -= stop - start
            start = stop


def _worked_spans(day: DaySheet) -> Iterator[tuple[date, int, int, Category, str | None]]:
    """The day's worked segments in time order, then its hours-only entries: they have no
    time of day, so they are placed nominally from the day's last clock-out (the detail
    files leave their start and end empty)."""
    for workday, start, end, category, work_order, _ in day.segments:
        if category is not Category.UNPAID_MEAL:
            yield workday, start, end, category, work_order
    start = day.last_out_us
    for entry in day.entries:
        yield day.date, start, start + entry.length, Category.HOURS_ONLY, entry.work_order
        start += entry.length


def worked_pieces(timesheet: Timesheet, period: PayPeriod) -> list[Piece]:
    """The pieces paid in `period`: regular ones of its days, overtime and double-time ones
    of the workweeks ending in it. Their lengths add up to `period_hours` per code."""
    weeks = _weeks_ending_in(timesheet, period)
    pieces: list[Piece] = []
    for day in timesheet.days:
        in_period, week_ends_here = day.date in period, _in_weeks(day.date, weeks)
        if in_period or week_ends_here:
            _add_day_pieces(day, pieces, in_period, week_ends_here)
    return pieces


def holiday_days(timesheet: Timesheet, period: PayPeriod) -> list[tuple[date, str, int]]:
    """(day, name, holiday µs) of the holidays paid in `period`."""
    return [(h.day, h.name, h.paid) for h in timesheet.holidays if h.paid and h.day in period]


def premium_days(timesheet: Timesheet, period: PayPeriod) -> Iterator[tuple[date, int]]:
    """(workday, premium hours) of the workweeks ending in `period`."""
    weeks = _weeks_ending_in(timesheet, period)
    for day in timesheet.days:
        if day.premium_hours and _in_weeks(day.date, weeks):
            yield day.date, day.premium_hours
