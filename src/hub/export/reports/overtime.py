"""Overtime and exceptions per workweek and depot: hours by kind, premiums, and how many
of each exception the supervisors have to look at."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from hub.export.context import TechnicianSheet
from hub.export.reports.table import report_hours
from hub.rules.findings import Code


@dataclass(frozen=True)
class OvertimeRow:
    week_start: date
    depot: str
    technicians: int
    worked_hours: Decimal
    regular_hours: Decimal
    overtime_hours: Decimal
    double_time_hours: Decimal
    premium_hours: int
    technicians_with_overtime: int
    exceptions: int
    by_code: str  # "ca_meal_late 2; missing_clock_out 1"


@dataclass
class _Week:
    technicians: int = 0
    worked: int = 0
    regular: int = 0
    overtime: int = 0
    double_time: int = 0
    premium: int = 0
    with_overtime: int = 0
    codes: Counter = field(default_factory=Counter)


def overtime_and_exceptions(sheets: Iterable[TechnicianSheet], first_week: date, last_week: date
                            ) -> list[OvertimeRow]:
    """One row per workweek (first day `first_week`..`last_week`) and depot with work."""
    weeks: dict[tuple[date, str], _Week] = defaultdict(_Week)
    for sheet in sheets:
        depot = sheet.technician.home_depot_id
        starts = []
        for week in sheet.timesheet.weeks:
            if not first_week <= week.start <= last_week:
                continue
            starts.append(week.start)
            total = weeks[(week.start, depot)]
            total.technicians += 1
            total.worked += week.worked
            total.regular += week.regular
            total.overtime += week.overtime
            total.double_time += week.double_time
            total.premium += week.premium_hours
            total.with_overtime += bool(week.overtime or week.double_time)
        for exception in sheet.timesheet.exceptions:
            day = exception.at.date()
            started = next((s for s in starts if s <= day < s + timedelta(days=7)), None)
            if started is not None:
                weeks[(started, depot)].codes[Code(exception.code).value] += 1
    return [
        OvertimeRow(week, depot, w.technicians, report_hours(w.worked), report_hours(w.regular),
                    report_hours(w.overtime), report_hours(w.double_time), w.premium, w.with_overtime,
                    sum(w.codes.values()), "; ".join(f"{c} {n}" for c, n in sorted(w.codes.items())))
        for (week, depot), w in sorted(weeks.items())
    ]
