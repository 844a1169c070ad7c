"""A depot's team timesheet: every technician of the depot by day for one workweek
(worked, overtime, drive, on site, open exceptions), with totals per technician, per day
and for the team; one timesheet computation for the whole team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from hub.rules.sheets import DaySheet
from hub.services.records import timesheets
from hub.services.scope import Viewer
from hub.settings import PayrollSettings
from hub.store.models import Depot, Technician


@dataclass(frozen=True)
class Figures:
    """A cell of the team timesheet: durations in µs, exceptions a count."""

    worked: int = 0
    overtime: int = 0  # overtime and double time
    drive: int = 0
    on_site: int = 0
    exceptions: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.worked + other.worked, self.overtime + other.overtime, self.drive + other.drive,
                       self.on_site + other.on_site, self.exceptions + other.exceptions)


def _figures(day: DaySheet | None, exceptions: int) -> Figures:
    if day is None:
        return Figures(exceptions=exceptions)
    return Figures(day.worked, day.overtime + day.double_time, sum(day.drive.values()), sum(day.on_site.values()),
                   exceptions)


def _sum(cells) -> Figures:
    return sum(cells, Figures())


@dataclass(frozen=True)
class TeamRow:
    technician_id: str
    name: str
    days: tuple[Figures, ...]  # one per day of the week, in order

    @property
    def total(self) -> Figures:
        return _sum(self.days)


@dataclass(frozen=True)
class TeamWeek:
    """Plain data (no database rows), so that pages may share it for a few seconds."""

    depot_id: str
    depot_name: str
    zone: str
    start: date
    rows: tuple[TeamRow, ...]

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(7)]

    @property
    def day_totals(self) -> list[Figures]:
        return [_sum(r.days[i] for r in self.rows) for i in range(7)]

    @property
    def total(self) -> Figures:
        return _sum(r.total for r in self.rows)


def team_week(session: Session, viewer: Viewer, payroll: PayrollSettings, depot: Depot, start: date,
              now: datetime) -> TeamWeek:
    """The week from `start` of the depot's technicians the viewer may see, live up to `now`."""
    ids = list(session.scalars(viewer.technicians().where(Technician.home_depot_id == depot.id)
                               .with_only_columns(Technician.id).order_by(Technician.id)))
    end = start + timedelta(days=6)
    rows = []
    for found in timesheets(session, payroll, start, end, ids, as_of=now):
        tz = ZoneInfo(found.technician.payroll_timezone)
        by_date = {d.date: d for d in found.timesheet.days}
        counts: dict[date, int] = {}
        for e in found.timesheet.exceptions:
            day = e.at.astimezone(tz).date()
            counts[day] = counts.get(day, 0) + 1
        cells = tuple(_figures(by_date.get(start + timedelta(days=i)), counts.get(start + timedelta(days=i), 0))
                      for i in range(7))
        rows.append(TeamRow(found.technician.id, found.technician.name, cells))
    rows.sort(key=lambda r: (r.name, r.technician_id))
    return TeamWeek(depot.id, depot.name, depot.timezone, start, tuple(rows))
