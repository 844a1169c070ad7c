"""California meal and rest periods, checked on raw (never rounded) break punches.

Lab. Code 512(a): a 30-minute meal starting by the end of the 5th hour when the day is
over 5 hours (waivable up to 6), a second by the end of the 10th when over 10 (waivable up
to 12). Wage Orders §12: 10 paid minutes of rest per 4 hours or major fraction, none under
3.5 hours. Each kind of violation costs one hour of pay per workday (Lab. Code 226.7).
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hub.rules.findings import Code, TimesheetException
from hub.rules.instants import HOUR_US, US, from_us
from hub.rules.shifts import Break

MEAL_US = 30 * 60 * US
REST_US = 10 * 60 * US


@dataclass(frozen=True, slots=True)
class WorkdayBreaks:
    """One workday's work: when it started, how long it was, and its breaks in order."""

    first_in: int
    worked: int
    breaks: tuple[Break, ...]
    source_ids: tuple[str, ...]


def rest_periods_due(worked: int) -> int:
    """3.5 to 6 hours: 1; over 6 to 10: 2; over 10 to 14: 3; and so on (Brinker, 2012)."""
    if worked < 3.5 * HOUR_US:
        return 0
    if worked <= 6 * HOUR_US:
        return 1
    return 1 + -(-(worked - 6 * HOUR_US) // (4 * HOUR_US))


def _worked_before(day: WorkdayBreaks, at: int) -> int:
    unpaid = sum(min(b.end, at) - b.start for b in day.breaks if not b.paid and b.start < at)
    return at - day.first_in - unpaid


def check_day(day: WorkdayBreaks, tz: ZoneInfo) -> tuple[list[TimesheetException], int]:
    """The violations of one workday, and the premium hours they cost (0 to 2)."""
    found = []

    def flag(code: Code, at: int, message: str) -> None:
        found.append(TimesheetException(code, from_us(at, tz), message, day.source_ids))

    meals = [b for b in day.breaks if b.meal]
    hours = day.worked / HOUR_US
    if day.worked > 6 * HOUR_US and not meals:
        flag(Code.CA_MEAL_MISSING, day.first_in, f"No meal period in a {hours:.2f}-hour day.")
    for index, meal in enumerate(meals[:2]):
        minutes = (meal.end - meal.start) / (60 * US)
        if meal.end - meal.start < MEAL_US:
            flag(Code.CA_MEAL_SHORT, meal.start, f"Meal of {minutes:.0f} minutes, under 30.")
        due_by = (index + 1) * 5 * HOUR_US
        if _worked_before(day, meal.start) > due_by:
            flag(Code.CA_MEAL_LATE, meal.start,
                 f"Meal {index + 1} started after the end of hour {due_by // HOUR_US} of work.")
    if day.worked > 12 * HOUR_US and len(meals) < 2:
        flag(Code.CA_SECOND_MEAL_MISSING, day.first_in,
             f"Only {len(meals)} meal period(s) in a {hours:.2f}-hour day.")
    rests = sum(1 for b in day.breaks if not b.meal and b.end - b.start >= REST_US)
    due = rest_periods_due(day.worked)
    if rests < due:
        flag(Code.CA_REST_SHORT, day.first_in,
             f"{rests} rest period(s) of 10 minutes in a {hours:.2f}-hour day; {due} due.")
    meal_violation = any(f.code is not Code.CA_REST_SHORT for f in found)
    rest_violation = any(f.code is Code.CA_REST_SHORT for f in found)
    return found, int(meal_violation) + int(rest_violation)
