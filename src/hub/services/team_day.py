"""A depot's team for one day, technician by technician, as the engine made the day: the
bars (segments) the team timeline draws."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.rules.segments import Category
from hub.services.records import timesheets
from hub.settings import PayrollSettings
from hub.store.models import Technician


@dataclass(frozen=True)
class Bar:
    start: int  # µs
    end: int
    category: Category
    work_order: str | None


@dataclass(frozen=True)
class Row:
    technician: Technician
    bars: list[Bar]


def team_rows(session: Session, payroll: PayrollSettings, depot_id: str, day: date, now: datetime) -> list[Row]:
    technicians = list(session.scalars(select(Technician.id).where(
        Technician.home_depot_id == depot_id, Technician.active, Technician.tracks_time)))
    rows = []
    for found in timesheets(session, payroll, day, day, technicians, as_of=now):
        bars = [Bar(s.start, s.end, s.category, s.work_order)
                for d in found.timesheet.days if d.date == day for s in d.segments]
        rows.append(Row(found.technician, bars))
    rows.sort(key=lambda r: r.technician.name)
    return rows
