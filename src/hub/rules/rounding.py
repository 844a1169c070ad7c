"""Punch rounding to the nearest interval (29 CFR 785.48) and its neutrality report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
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


@dataclass(frozen=True, slots=True)
class NeutralitySummary:
    """Rounding's effect over some workdays: punches it moved, workdays it paid more or
    less, and the net change in paid time (µs; > 0: the technician was paid more)."""

    punches_moved: int
    days_in_employee_favour: int
    days_in_employer_favour: int
    paid_change_us: int

    @property
    def employee_share(self) -> float:
        """Of the workdays rounding changed, the share it paid more; 0.5 when none."""
        moved = self.days_in_employee_favour + self.days_in_employer_favour
        return self.days_in_employee_favour / moved if moved else 0.5


@dataclass(frozen=True)
class NeutralityReport:
    """Whether rounding is fair over time (29 CFR 785.48), measured in paid time: for each
    workday, the punches rounding moved and the paid time with rounding minus the paid
    time of the same punches unrounded. So a rounded rest (paid either way) counts for
    nothing, and a paid 23-minute break rounded into an unpaid 30-minute meal counts."""

    days: dict[date, tuple[int, int]]  # workday -> (punches moved, paid change in µs)

    def summary(self, first: date | None = None, last: date | None = None) -> NeutralitySummary:
        """Over workdays `first`..`last` (None: open-ended)."""
        moved = gained = lost = change = 0
        for day, (punches, paid) in self.days.items():
            if (first is None or day >= first) and (last is None or day <= last):
                moved += punches
                gained += paid > 0
                lost += paid < 0
                change += paid
        return NeutralitySummary(moved, gained, lost, change)


NOT_ROUNDED = NeutralityReport({})


def neutrality(
    moved: dict[date, int], paid_rounded: dict[date, int], paid_raw: dict[date, int]
) -> NeutralityReport:
    """`moved`: punches rounding moved, by workday; `paid_*`: paid time by workday with
    and without rounding."""
    days = {}
    for day in sorted({*moved, *paid_rounded, *paid_raw}):
        change = paid_rounded.get(day, 0) - paid_raw.get(day, 0)
        if change or moved.get(day):
            days[day] = (moved.get(day, 0), change)
    return NeutralityReport(days)
