"""What the engine gives back: per workday, per workweek, per pay period, per technician.

Durations are integer microseconds; `hours()` turns one into Decimal hours. Every
segment names the events it came from, so every figure can be traced back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from hub.rules.drive import ClassifiedLeg
from hub.rules.findings import TimesheetException
from hub.rules.holidays import HolidayHours
from hub.rules.hours_entries import HoursEntry
from hub.rules.instants import HOUR_US
from hub.rules.rounding import NeutralityReport
from hub.rules.segments import Segment

_HOUR = Decimal(HOUR_US)


def hours(us: int) -> Decimal:
    """Exact hours of a duration, to the microsecond (rounding is the exporter's, once)."""
    return Decimal(us) / _HOUR


@dataclass
class DaySheet:
    date: date
    first_in_us: int
    last_out_us: int
    clocked: int = 0
    paid_breaks: int = 0
    unpaid_meals: int = 0
    drive: dict[str | None, int] = field(default_factory=dict)
    on_site: dict[str, int] = field(default_factory=dict)
    gaps: int = 0
    billable: int = 0
    regular: int = 0
    overtime: int = 0
    double_time: int = 0
    premium_hours: int = 0
    holiday_worked: int = 0  # regular hours of a holiday, paid at the holiday rate instead
    segments: list[Segment] = field(default_factory=list)
    entries: list[HoursEntry] = field(default_factory=list)  # hours-only time, no time of day

    @property
    def entered(self) -> int:
        """Hours-only time of the day, µs."""
        return sum(entry.length for entry in self.entries)

    @property
    def worked(self) -> int:
        return self.clocked - self.unpaid_meals + self.entered

    @property
    def work_orders(self) -> set[str]:
        """The work orders (and task categories) the day's time went to: drive, on site, entered."""
        return {wo for wo in (*self.drive, *self.on_site, *(e.work_order for e in self.entries)) if wo is not None}


@dataclass(frozen=True)
class WeekSheet:
    start: date
    worked: int
    regular: int
    overtime: int
    double_time: int
    premium_hours: int
    cost: Decimal
    holiday: int = 0  # holiday hours paid, not worked
    holiday_worked: int = 0


@dataclass(frozen=True)
class PayPeriodSheet:
    start: date
    end: date
    regular: int
    overtime: int
    double_time: int
    premium_hours: int
    cost: Decimal
    holiday: int = 0
    holiday_worked: int = 0


@dataclass(frozen=True)
class Timesheet:
    tech: str
    wage: Decimal
    timezone: ZoneInfo
    days: list[DaySheet]
    weeks: list[WeekSheet]
    periods: list[PayPeriodSheet]
    legs: list[ClassifiedLeg]
    exceptions: list[TimesheetException]
    rounding: NeutralityReport
    holidays: tuple[HolidayHours, ...] = ()  # paid to the technician, worked or not

    @property
    def worked(self) -> int:
        return sum(d.worked for d in self.days)

    @property
    def billable(self) -> int:
        return sum(d.billable for d in self.days)

    @property
    def utilisation(self) -> Decimal:
        worked = self.worked
        return Decimal(self.billable) / Decimal(worked) if worked else Decimal(0)

    @property
    def cost(self) -> Decimal:
        return sum((w.cost for w in self.weeks), Decimal(0))
