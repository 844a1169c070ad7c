"""Paid holidays: the hours an eligible technician is paid for each holiday, worked or not,
and how hours worked on a holiday are paid. Pure: the calendar comes in as plain data
(the hub builds it from the `holidays` library and the company's own days).

- Holiday hours: each holiday in the calendar pays an eligible technician `hours` (default
  8) under their own pay code. They are paid, not worked: they count toward no overtime
  threshold (29 CFR 778.218: pay for idle holidays is not pay for hours worked).
- Worked on a holiday: the regular hours of a holiday's workday are paid at `worked_rate`
  times the wage (e.g. 1.5, Ontario ESA s.27, Canada Labour Code s.203) under their own
  pay code; its overtime and double time stay overtime and double time. They still count
  toward the weekly overtime threshold, as every hour worked does.
- Eligible: a technician who tracks time and is active (the hub has no hire dates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hub.rules.instants import HOUR_US


@dataclass(frozen=True, slots=True)
class Holiday:
    day: date
    name: str


@dataclass(frozen=True)
class HolidayPolicy:
    """The company's holidays of the dates being computed, and what each pays."""

    days: tuple[Holiday, ...] = ()
    hours: Decimal = Decimal(8)  # paid per holiday to an eligible technician
    worked_rate: Decimal = Decimal("1.5")  # times the wage, for regular hours worked on one


@dataclass(frozen=True, slots=True)
class HolidayHours:
    """Holiday hours paid to one technician for one holiday (µs)."""

    day: date
    name: str
    paid: int


def eligible(tracks_time: bool, active: bool) -> bool:
    """Who is paid for holidays: technicians who track time and are active."""
    return tracks_time and active


def paid_holidays(policy: HolidayPolicy, is_eligible: bool) -> list[HolidayHours]:
    """The holidays of a technician with the hours each pays (none when `hours` is 0),
    one entry per day (a day listed twice, e.g. a public holiday the company also lists,
    is paid once), in date order."""
    if not is_eligible:
        return []
    paid = int(policy.hours * HOUR_US)
    named: dict[date, str] = {}
    for holiday in policy.days:
        named.setdefault(holiday.day, holiday.name)
    return [HolidayHours(day, named[day], paid) for day in sorted(named)]


def worked_on_holiday(regular: int) -> tuple[int, int]:
    """A holiday workday's (regular, holiday worked) µs: its regular hours are paid at the
    holiday rate instead; its overtime and double time are left as they are."""
    return 0, regular
