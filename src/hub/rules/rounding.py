"""Punch rounding to the nearest interval (29 CFR 785.48) and its neutrality report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from hub.rules.events import Punch, PunchAction
from hub.rules.instants import US, to_us


def round_us(at: datetime, minutes: int, tz: ZoneInfo) -> int:
    """Nearest multiple of `minutes` on the payroll zone's wall clock; a tie rounds up
    (so quarter hours follow the "7-minute" midpoint: 08:08 -> 08:15, 17:21 -> 17:15)."""
    us = to_us(at)
    if minutes == 0:
        return us
    step = minutes * 60 * US
    local = at.astimezone(tz)
    wall = ((local.hour * 60 + local.minute) * 60 + local.second) * US + local.microsecond
    remainder = wall % step
    return us - remainder if remainder * 2 < step else us + step - remainder


@dataclass(frozen=True, slots=True)
class RoundedPunch:
    """A punch at its paid instant; `gain_us` > 0 means rounding paid the technician more."""

    punch: Punch
    at_us: int
    gain_us: int


def round_punches(
    punches: list[tuple[int, Punch]], minutes: int, tz: ZoneInfo, meals_exempt: bool,
    meal_gap_max_us: int = 0,
) -> list[RoundedPunch]:
    """Round every punch, except those bounding a meal when meals are exempt (Donohue).

    `punches`: (instant in µs, punch) in time order; a break_end is a meal's when its
    break_start said meal; a clock-out and the clock-in right after it, within
    `meal_gap_max_us`, bound a meal taken off the clock.
    """
    rounded = []
    meal_open = False
    off_clock_meal = False  # the previous punch was a clock-out starting a meal
    for index, (raw, punch) in enumerate(punches):
        kind, exempt = punch.type, False
        if kind is PunchAction.BREAK_START:
            meal_open = punch.break_kind == "meal"
            exempt = meals_exempt and meal_open
        elif kind is PunchAction.BREAK_END:
            exempt = meals_exempt and meal_open
            meal_open = False
        elif meals_exempt and minutes:
            if kind is PunchAction.CLOCK_IN:
                exempt = off_clock_meal
            elif index + 1 < len(punches):
                after, following = punches[index + 1]
                exempt = following.type is PunchAction.CLOCK_IN and after - raw <= meal_gap_max_us
        off_clock_meal = exempt and kind is PunchAction.CLOCK_OUT
        at = raw if exempt or minutes == 0 else round_us(punch.at, minutes, tz)
        # Earlier clock-in or break end, later clock-out or break start: more paid time.
        starts_paid_time = kind is PunchAction.CLOCK_IN or kind is PunchAction.BREAK_END
        rounded.append(RoundedPunch(punch, at, raw - at if starts_paid_time else at - raw))
    return rounded


@dataclass(frozen=True)
class NeutralityReport:
    """Whether rounding is fair over time (785.48): net minutes and how punches moved."""

    punches: int
    in_employee_favour: int
    in_employer_favour: int
    net_minutes: float

    @property
    def employee_share(self) -> float:
        moved = self.in_employee_favour + self.in_employer_favour
        return self.in_employee_favour / moved if moved else 0.5


def neutrality(rounded: list[RoundedPunch]) -> NeutralityReport:
    return NeutralityReport(
        punches=len(rounded),
        in_employee_favour=sum(1 for r in rounded if r.gain_us > 0),
        in_employer_favour=sum(1 for r in rounded if r.gain_us < 0),
        net_minutes=round(sum(r.gain_us for r in rounded) / (60 * US), 2),
    )
