"""Utilisation: billable hours over available (worked) hours, per technician and team
(depot) per workweek, against a target, so the trend over recent weeks shows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hub.export.context import TechnicianSheet
from hub.export.reports.table import ratio, report_hours
from hub.rules.workweek import week_start


@dataclass(frozen=True)
class UtilisationRow:
    week_start: date
    team: str
    technician_id: str  # "" on a team's row
    name: str
    worked_hours: Decimal
    billable_hours: Decimal
    utilisation: Decimal  # 0.7216 = 72.16 %
    target: Decimal
    on_target: bool


def utilisation(sheets: Iterable[TechnicianSheet], first_week: date, last_week: date, target: Decimal,
                week_start_day: int = 0) -> Iterator[UtilisationRow]:
    """A row per technician per week from `first_week` to `last_week` (first days), as
    the technicians come; then a row per team per week. Weeks without work are left out."""
    teams: dict[tuple[str, date], list[int]] = defaultdict(lambda: [0, 0])
    for sheet in sheets:
        weeks: dict[date, list[int]] = defaultdict(lambda: [0, 0])
        for day in sheet.timesheet.days:
            week = week_start(day.date, week_start_day)
            if first_week <= week <= last_week:
                weeks[week][0] += day.worked
                weeks[week][1] += day.billable
        team = sheet.technician.home_depot_id
        for week, (worked, billable) in sorted(weeks.items()):
            if not worked:
                continue
            teams[(team, week)][0] += worked
            teams[(team, week)][1] += billable
            share = ratio(billable, worked)
            yield UtilisationRow(week, team, sheet.technician.id, sheet.technician.name, report_hours(worked),
                                 report_hours(billable), share, target, share >= target)
    for (team, week), (worked, billable) in sorted(teams.items(), key=lambda item: (item[0][1], item[0][0])):
        share = ratio(billable, worked)
        yield UtilisationRow(week, team, "", "", report_hours(worked), report_hours(billable), share, target,
                             share >= target)
