"""The report pages' figures, as service functions: the timesheets of the user's
technicians (hub.services.records) handed to the pure reports of hub.export.reports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.export.context import TechnicianSheet, WorkOrderInfo
from hub.export.reports.mileage import MileageRow, mileage_rows
from hub.export.reports.neutrality import NeutralityRow, neutrality_report
from hub.export.reports.overtime import OvertimeRow, overtime_and_exceptions
from hub.export.reports.utilisation import UtilisationRow, utilisation
from hub.export.reports.work_orders import CustomerRow, WorkOrderRow, customer_totals, work_order_costs
from hub.rules.workweek import week_start
from hub.services.records import timesheets
from hub.services.scope import Viewer
from hub.settings import PayrollSettings
from hub.store.models import DriveLeg, WorkOrder

IN_LIMIT = 1000


def first_days(payroll: PayrollSettings, day: date, weeks: int) -> tuple[date, date]:
    """The first days of the earliest and the latest of `weeks` workweeks ending with `day`'s."""
    last = week_start(day, payroll.week_start_day)
    return last - timedelta(days=7 * (weeks - 1)), last


def _sheets(session: Session, payroll: PayrollSettings, viewer: Viewer, start: date, end: date,
            now: datetime) -> Iterator[TechnicianSheet]:
    return timesheets(session, payroll, start, end, technician_ids=viewer.technician_ids(session), as_of=now)


def utilisation_rows(session: Session, payroll: PayrollSettings, viewer: Viewer, day: date, weeks: int,
                     target: Decimal, now: datetime) -> list[UtilisationRow]:
    first, last = first_days(payroll, day, weeks)
    sheets = _sheets(session, payroll, viewer, first, last + timedelta(days=6), now)
    return list(utilisation(sheets, first, last, target, payroll.week_start_day))


def overtime_rows(session: Session, payroll: PayrollSettings, viewer: Viewer, day: date, weeks: int,
                  now: datetime) -> list[OvertimeRow]:
    first, last = first_days(payroll, day, weeks)
    return overtime_and_exceptions(_sheets(session, payroll, viewer, first, last + timedelta(days=6), now),
                                   first, last)


def work_order_rows(session: Session, payroll: PayrollSettings, viewer: Viewer, start: date, end: date,
                    now: datetime) -> tuple[list[WorkOrderRow], list[CustomerRow]]:
    """Per work order and per customer, days `start`..`end`."""
    sheets = list(_sheets(session, payroll, viewer, start, end, now))
    ids = sorted({wo for s in sheets for day in s.timesheet.days for wo in day.work_orders})
    infos: dict[str, WorkOrderInfo] = {}
    for first in range(0, len(ids), IN_LIMIT):
        query = select(WorkOrder.id, WorkOrder.customer, WorkOrder.billable).where(
            WorkOrder.id.in_(ids[first:first + IN_LIMIT]))
        infos.update((wo, WorkOrderInfo(customer, billable)) for wo, customer, billable in session.execute(query))
    rows = work_order_costs(sheets, start, end, infos)
    return rows, customer_totals(rows)


def neutrality_rows(session: Session, payroll: PayrollSettings, viewer: Viewer, start: date, end: date,
                    now: datetime) -> list[NeutralityRow]:
    """What rounding changed in paid time on workdays `start`..`end` (timesheets are
    computed from the whole workweeks around them)."""
    return list(neutrality_report(_sheets(session, payroll, viewer, start, end, now), start, end))


def mileage_report(session: Session, payroll: PayrollSettings, viewer: Viewer, start: date, end: date, unit: str,
                   now: datetime) -> list[MileageRow]:
    """Distance per technician, van and work order on days `start`..`end`."""
    sheets = list(_sheets(session, payroll, viewer, start, end, now))
    ids = sorted({int(c.leg.id.removeprefix("leg-")) for s in sheets for c in s.timesheet.legs
                  if c.leg.id.startswith("leg-")})
    vans: dict[str, str] = {}
    for first in range(0, len(ids), IN_LIMIT):
        query = select(DriveLeg.id, DriveLeg.vehicle_id).where(DriveLeg.id.in_(ids[first:first + IN_LIMIT]))
        vans.update((f"leg-{id_}", vehicle) for id_, vehicle in session.execute(query))
    return mileage_rows(sheets, start, end, vans, unit)
