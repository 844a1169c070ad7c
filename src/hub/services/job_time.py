"""Drive, on-site and hours-only time spent on one work order, per technician, from the
engine's timesheets (so corrections and the pay rules' cuts apply)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.services.records import timesheets
from hub.settings import PayrollSettings
from hub.store.models import Correction, DriveLeg, HoursEntry, Technician, WorkOrderAssignment, WorkOrderVisit


@dataclass(frozen=True)
class JobTime:
    technician: Technician
    drive: int  # µs
    on_site: int
    visits: int
    entered: int  # hours-only entries on the work order


def _involved(session: Session, work_order_id: str, lo: datetime, hi: datetime) -> set[str]:
    ids = set(session.scalars(select(WorkOrderVisit.technician_id).where(
        WorkOrderVisit.work_order_id == work_order_id, WorkOrderVisit.check_in_at >= lo,
        WorkOrderVisit.check_in_at < hi)))
    ids |= set(session.scalars(select(DriveLeg.technician_id).where(
        DriveLeg.work_order_id == work_order_id, DriveLeg.start_at >= lo, DriveLeg.start_at < hi)))
    ids |= set(session.scalars(select(HoursEntry.technician_id).where(
        HoursEntry.work_order_id == work_order_id, HoursEntry.day >= lo.date(), HoursEntry.day < hi.date())))
    ids |= set(session.scalars(select(WorkOrderAssignment.technician_id).where(
        WorkOrderAssignment.work_order_id == work_order_id)))
    for row in session.scalars(select(Correction).where(Correction.kind.in_(("add_visit", "attach_leg")),
                                                        Correction.created_at >= lo)):
        if (row.values or {}).get("work_order") == work_order_id:
            ids.add(row.technician_id)
    return ids - {None}


def time_on(session: Session, payroll: PayrollSettings, work_order_id: str, start: date, end: date,
            now: datetime, visible: list[str]) -> list[JobTime]:
    """`visible`: the technicians the asker may see."""
    lo = datetime.combine(start - timedelta(days=1), time(0), timezone.utc)
    hi = datetime.combine(end + timedelta(days=2), time(0), timezone.utc)
    ids = sorted(_involved(session, work_order_id, lo, hi) & set(visible))
    counts: dict[str, int] = {}
    for tech in session.scalars(select(WorkOrderVisit.technician_id).where(
            WorkOrderVisit.work_order_id == work_order_id, WorkOrderVisit.check_in_at >= lo,
            WorkOrderVisit.check_in_at < hi)):
        counts[tech] = counts.get(tech, 0) + 1
    found = []
    for item in timesheets(session, payroll, start, end, ids, as_of=now):
        days = [d for d in item.timesheet.days if start <= d.date <= end]
        drive = sum(d.drive.get(work_order_id, 0) for d in days)
        on_site = sum(d.on_site.get(work_order_id, 0) for d in days)
        entered = sum(e.length for d in days for e in d.entries if e.work_order == work_order_id)
        found.append(JobTime(item.technician, drive, on_site, counts.get(item.technician.id, 0), entered))
    return found
