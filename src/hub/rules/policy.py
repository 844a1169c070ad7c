"""Policies: overtime presets and custom ones, rounding, breaks, drive legs, periods.

One `OvertimePolicy` shape covers every preset; a custom policy is the same dataclass read
from TOML.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from typing import Any

from depotclock.wire.shift_limit import AUTO_CLOCK_OUT_AFTER_H
from hub.rules.holidays import HolidayPolicy


class PolicyError(ValueError):
    """A policy name or file that cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class OvertimePolicy:
    """Thresholds in hours; None means the rule does not apply."""

    name: str
    daily_ot_after: Decimal | None = None
    daily_dt_after: Decimal | None = None
    weekly_ot_after: Decimal | None = None
    consecutive_ot_after: Decimal | None = None  # Colorado: over 12 consecutive hours
    seventh_day: bool = False  # California Lab. Code 510: 7th consecutive day in a workweek
    ot_multiplier: Decimal = Decimal("1.5")
    dt_multiplier: Decimal = Decimal("2")
    california_breaks: bool = False  # check meal and rest rules (Lab. Code 512, Wage Orders §12)
    round_meal_punches: bool = True  # Donohue v. AMN (2021): never in California
    # NRS 608.0126: the daily thresholds count 24 hours from when work begins, not the calendar day
    daily_from_start_of_work: bool = False
    # NRS 608.018(2)(b): the daily thresholds apply only to a wage below this (None: to every wage)
    daily_ot_below_wage: Decimal | None = None

    def __post_init__(self) -> None:
        if self.daily_from_start_of_work and self.daily_dt_after is not None:
            raise PolicyError("daily_dt_after cannot be counted from the start of work; leave it out")

    def for_wage(self, wage: Decimal) -> OvertimePolicy:
        """The policy as it applies to a technician paid `wage` an hour: without its daily
        thresholds when the wage is at or above `daily_ot_below_wage`."""
        if self.daily_ot_below_wage is None or wage < self.daily_ot_below_wage:
            return self
        return replace(self, daily_ot_after=None, daily_dt_after=None, daily_from_start_of_work=False)


PRESETS = {
    # 29 CFR 778.104: over 40 hours in a workweek
    "flsa": OvertimePolicy("flsa", weekly_ot_after=Decimal(40)),
    # Lab. Code 510: over 8 a day and 40 a week at 1.5x, over 12 a day at 2x, 7th day
    "california": OvertimePolicy(
        "california",
        daily_ot_after=Decimal(8),
        daily_dt_after=Decimal(12),
        weekly_ot_after=Decimal(40),
        seventh_day=True,
        california_breaks=True,
        round_meal_punches=False,
    ),
    "alaska": OvertimePolicy("alaska", daily_ot_after=Decimal(8), weekly_ot_after=Decimal(40)),
    # Colorado COMPS: over 12 a workday, over 12 consecutive hours, or over 40 a week
    "colorado": OvertimePolicy(
        "colorado",
        daily_ot_after=Decimal(12),
        consecutive_ot_after=Decimal(12),
        weekly_ot_after=Decimal(40),
    ),
    # NRS 608.018: 1.5x over 40 a week; over 8 in a workday (24 hours from when work begins,
    # NRS 608.0126) only below 1.5x the state minimum wage ($12.00 from July 2024: $18.00)
    "nevada": OvertimePolicy(
        "nevada",
        daily_ot_after=Decimal(8),
        weekly_ot_after=Decimal(40),
        daily_from_start_of_work=True,
        daily_ot_below_wage=Decimal("18.00"),
    ),
    # Canada Labour Code Part III s.169 and 174: standard hours 8 a day and 40 a week, 1.5x
    # beyond; the weekly threshold counting only hours not already daily overtime pays the
    # greater of the daily and the weekly excess, as the Labour Program's guidance has it
    "canada-federal": OvertimePolicy("canada-federal", daily_ot_after=Decimal(8), weekly_ot_after=Decimal(40)),
    # Ontario ESA 2000 s.22(1): 1.5x over 44 hours in a work week; no daily overtime
    "ontario": OvertimePolicy("ontario", weekly_ot_after=Decimal(44)),
    # Quebec Act respecting labour standards s.52 and 55: 1.5x over 40 hours a week
    "quebec": OvertimePolicy("quebec", weekly_ot_after=Decimal(40)),
    # Alberta Employment Standards Code s.21-22: over 8 a day or 44 a week, whichever is greater
    "alberta": OvertimePolicy("alberta", daily_ot_after=Decimal(8), weekly_ot_after=Decimal(44)),
    # BC ESA s.40: 1.5x over 8 a day, 2x over 12 a day, 1.5x over 40 straight-time hours a week
    "british-columbia": OvertimePolicy(
        "british-columbia",
        daily_ot_after=Decimal(8),
        daily_dt_after=Decimal(12),
        weekly_ot_after=Decimal(40),
    ),
    "none": OvertimePolicy("none"),
}


def overtime_policy_from_toml(text: str, source: str = "policy") -> OvertimePolicy:
    """A custom policy: `[overtime]` keys named as OvertimePolicy's fields."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source} is not valid TOML: {exc}") from None
    table = data.get("overtime", data)
    known = {f.name: f for f in fields(OvertimePolicy)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise PolicyError(f"{source}: unknown setting(s) {', '.join(unknown)}")
    values: dict[str, Any] = {"name": str(table.get("name", source))}  # each checked against its field below
    for key, value in table.items():
        if key == "name":
            continue
        if known[key].type == "bool":
            if not isinstance(value, bool):
                raise PolicyError(f"{source}: {key} must be true or false")
            values[key] = value
        else:
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise PolicyError(f"{source}: {key} must be a number of hours")
            number = Decimal(str(value))
            if number < 0:
                raise PolicyError(f"{source}: {key} cannot be negative")
            values[key] = number
    return OvertimePolicy(**values)


def overtime_preset(name: str) -> OvertimePolicy:
    if name in PRESETS:
        return PRESETS[name]
    raise PolicyError(f"no overtime preset {name!r}; choose one of {', '.join(PRESETS)}")


@dataclass(frozen=True)
class RoundingPolicy:
    """Round clock punches to the nearest `minutes` (0: no rounding), 29 CFR 785.48."""

    minutes: int = 0

    def __post_init__(self) -> None:
        if self.minutes not in (0, 5, 6, 15):
            raise PolicyError("rounding is none (0), 5, 6 (a tenth) or 15 minutes")


@dataclass(frozen=True)
class BreakPolicy:
    """785.18: rests of up to about 20 minutes are paid; 785.19: a meal is ordinarily 30+."""

    paid_break_max_min: int = 20
    meal_min_min: int = 30
    # A clock-out followed by a clock-in within this many minutes is a meal period inside
    # one work period (California meal rules; no rounding of its punches); longer ends it.
    work_period_gap_max_min: int = 120


class PayPeriodKind(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    SEMIMONTHLY = "semimonthly"
    MONTHLY = "monthly"


@dataclass(frozen=True)
class PayPeriodPolicy:
    kind: PayPeriodKind = PayPeriodKind.BIWEEKLY
    anchor: date = date(2026, 1, 5)  # a first day of a weekly/bi-weekly period


@dataclass(frozen=True)
class TimesheetPolicy:
    """Everything the engine needs besides the events and the technician."""

    overtime: OvertimePolicy = PRESETS["flsa"]
    rounding: RoundingPolicy = RoundingPolicy()
    breaks: BreakPolicy = BreakPolicy()
    pay_period: PayPeriodPolicy = PayPeriodPolicy()
    week_start_day: int = 0  # Monday; 29 CFR 778.105: a workweek may start any day and hour
    day_start: time = time(0, 0)  # when each workday, and the workweek, begins
    auto_clock_out_after_h: int = AUTO_CLOCK_OUT_AFTER_H  # depotclock.wire.shift_limit
    gap_threshold_min: int = 45
    duplicate_window_s: int = 60
    home_legs_are_work: bool = False
    billable_work_orders: frozenset[str] | None = None  # None: every work order is billable
    holidays: HolidayPolicy = HolidayPolicy()  # the calendar of the dates being computed

    def is_billable(self, work_order: str | None) -> bool:
        if work_order is None:
            return False
        return self.billable_work_orders is None or work_order in self.billable_work_orders
