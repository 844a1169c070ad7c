"""California meal and rest periods, judged per work period on raw (never rounded) punches.

A work period runs from a clock-in to the clock-out that ends it, across midnight if need
be, and on through clock-outs followed by a clock-in within `BreakPolicy.work_period_gap_max_min`:
such an off-the-clock gap is a meal period (duty-free and unpaid), as is a meal break taken
on the clock. Lab. Code 512(a) and IWC wage orders 11 and 12 §11: a 30-minute meal
starting by the end of the 5th hour of work when the period is over 5 hours (waivable up
to 6), a second by the end of the 10th when over 10 (waivable up to 12). Wage orders §12:
10 paid minutes of rest per 4 hours or major fraction, none under 3.5 hours (Brinker,
2012). Each kind of violation costs one hour of pay per workday at most (Lab. Code 226.7);
the workday is the one the work period starts in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from hub.rules.findings import Code, TimesheetException
from hub.rules.instants import HOUR_US, MINUTE_US, from_us
from hub.rules.shifts import Break, Shift, paid_stretches

MEAL_US = 30 * MINUTE_US
REST_US = 10 * MINUTE_US


@dataclass(frozen=True, slots=True)
class WorkPeriod:
    """Shifts worked as one: their worked stretches (clocked time less unpaid meals, in
    order), their meals (on the clock or off it) and their rests."""

    start: int
    worked: tuple[tuple[int, int], ...]
    meals: tuple[Break, ...]
    rests: tuple[Break, ...]
    source_ids: tuple[str, ...]

    @property
    def worked_us(self) -> int:
        return sum(end - start for start, end in self.worked)

    def worked_before(self, at: int) -> int:
        return sum(min(end, at) - start for start, end in self.worked if start < at)


def work_periods(shifts: list[Shift], gap_max_us: int) -> list[WorkPeriod]:
    """Group time-ordered shifts into work periods: a clock-out followed by a clock-in
    within `gap_max_us` is a meal period inside one; a longer gap ends it. Shifts of no
    length (closed automatically at their clock-in) belong to none."""
    periods: list[list[Shift]] = []
    for shift in shifts:
        if shift.end <= shift.start:
            continue
        if periods and shift.start - periods[-1][-1].end <= gap_max_us:
            periods[-1].append(shift)
        else:
            periods.append([shift])
    found = []
    for group in periods:
        worked: list[tuple[int, int]] = []
        meals: list[Break] = []
        rests: list[Break] = []
        ids: list[str] = []
        for index, shift in enumerate(group):
            if index:
                before = group[index - 1]
                gap_ids = before.source_ids[-1:] + shift.source_ids[:1]  # the clock-out, the clock-in
                meals.append(Break(before.end, shift.start, True, False, gap_ids))
            worked += paid_stretches(shift)
            meals += [b for b in shift.breaks if b.meal]
            rests += [b for b in shift.breaks if not b.meal]
            ids += shift.source_ids
        found.append(WorkPeriod(group[0].start, tuple(worked), tuple(sorted(meals, key=lambda b: b.start)),
                                tuple(rests), tuple(ids)))
    return found


def rest_periods_due(worked: int) -> int:
    """3.5 to 6 hours: 1; over 6 to 10: 2; over 10 to 14: 3; and so on (Brinker, 2012)."""
    if worked < 3.5 * HOUR_US:
        return 0
    if worked <= 6 * HOUR_US:
        return 1
    return 1 + -(-(worked - 6 * HOUR_US) // (4 * HOUR_US))


def check_period(period: WorkPeriod, tz: ZoneInfo) -> tuple[list[TimesheetException], bool, bool]:
    """The violations of one work period, whether any is a meal one, whether any a rest one."""
    found = []

    def flag(code: Code, at: int, message: str) -> None:
        found.append(TimesheetException(code, from_us(at, tz), message, period.source_ids))

    worked = period.worked_us
    hours = worked / HOUR_US
    if worked > 6 * HOUR_US and not period.meals:
        flag(Code.CA_MEAL_MISSING, period.start, f"No meal period in a {hours:.2f}-hour work period.")
    for index, meal in enumerate(period.meals[:2]):
        minutes = (meal.end - meal.start) / MINUTE_US
        if meal.end - meal.start < MEAL_US:
            flag(Code.CA_MEAL_SHORT, meal.start, f"Meal of {minutes:.0f} minutes, under 30.")
        due_by = (index + 1) * 5 * HOUR_US
        if period.worked_before(meal.start) > due_by:
            flag(Code.CA_MEAL_LATE, meal.start,
                 f"Meal {index + 1} started after {period.worked_before(meal.start) / HOUR_US:.2f} "
                 f"hours of work, after the end of hour {due_by // HOUR_US}.")
    if worked > 12 * HOUR_US and len(period.meals) < 2:
        flag(Code.CA_SECOND_MEAL_MISSING, period.start,
             f"Only {len(period.meals)} meal period(s) in a {hours:.2f}-hour work period.")
    rests = sum(1 for b in period.rests if b.end - b.start >= REST_US)
    due = rest_periods_due(worked)
    if rests < due:
        flag(Code.CA_REST_SHORT, period.start,
             f"{rests} rest period(s) of 10 minutes in a {hours:.2f}-hour work period; {due} due.")
    rest = any(f.code is Code.CA_REST_SHORT for f in found)
    return found, any(f.code is not Code.CA_REST_SHORT for f in found), rest


def check_work_periods(
    shifts: list[Shift], gap_max_us: int, workday: Callable[[int], date], tz: ZoneInfo
) -> tuple[list[TimesheetException], dict[date, int]]:
    """The findings of every work period, and the premium hours by workday: one for meal
    violations and one for rest violations at most (Lab. Code 226.7)."""
    found: list[TimesheetException] = []
    meal_days: dict[date, bool] = defaultdict(bool)
    rest_days: dict[date, bool] = defaultdict(bool)
    for period in work_periods(shifts, gap_max_us):
        violations, meal, rest = check_period(period, tz)
        found += violations
        day = workday(period.start)
        meal_days[day] |= meal
        rest_days[day] |= rest
    premiums = {day: int(meal_days[day]) + int(rest_days[day]) for day in {*meal_days, *rest_days}}
    return found, {day: hours for day, hours in premiums.items() if hours}
