"""An export of one pay period, end to end: timesheets from the store a chunk of
technicians at a time, the approval filter, the format's writer, and the record.

Memory holds one chunk of timesheets at a time, whatever the number of technicians.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from hub.export.approval import Decision, period_approved, weeks_of
from hub.export.archive import ChangeReport, changes_since, keep_file
from hub.export.context import ExportContext, ExportError, WorkOrderInfo
from hub.export.formats import ExportFormat, export_format
from hub.export.period_hours import PayPeriod, period_hours
from hub.records import CHUNK, TechnicianSheet, timesheets
from hub.rules.pay_period import pay_period
from hub.settings import WEEKDAYS, HubSettings
from hub.store.models import (
    PayrollExport,
    PayrollExportTechnician,
    Technician,
    TimesheetApproval,
    User,
    WorkOrder,
)

IN_LIMIT = 5000  # ids per IN (...) list


@dataclass(frozen=True)
class LeftOut:
    technician_id: str
    name: str
    reason: str


@dataclass(frozen=True)
class ExportedFile:
    path: Path
    sha256: str
    size: int


@dataclass
class ExportResult:
    export_id: int
    period: PayPeriod
    format: str
    preview: bool
    files: list[ExportedFile] = field(default_factory=list)
    exported: int = 0
    left_out: list[LeftOut] = field(default_factory=list)
    changes: ChangeReport | None = None
    notes: list[str] = field(default_factory=list)


def period_of(day: date, settings: HubSettings) -> PayPeriod:
    """The pay period that holds `day`."""
    return PayPeriod(*pay_period(day, settings.payroll.policy("none").pay_period))


def technicians_to_export(session: Session) -> int:
    """How many technicians an export goes through (for a progress bar)."""
    return session.scalar(select(func.count()).select_from(Technician).where(Technician.tracks_time)) or 0


def _batches(items: Iterable[TechnicianSheet], size: int) -> Iterator[list[TechnicianSheet]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _in_parts(ids: list[str]) -> Iterator[list[str]]:
    for first in range(0, len(ids), IN_LIMIT):
        yield ids[first:first + IN_LIMIT]


def _decisions(session: Session, technician_ids: list[str], weeks: list[date]) -> dict[str, list[Decision]]:
    A = TimesheetApproval
    found: dict[str, list[Decision]] = {}
    for part in _in_parts(technician_ids):
        for tech, week, level, decision, at, id_ in session.execute(
            select(A.technician_id, A.week_start, A.level, A.decision, A.decided_at, A.id)
            .where(A.technician_id.in_(part), A.week_start.in_(weeks))
        ):
            found.setdefault(tech, []).append(Decision(week, level, decision, at, id_))
    return found


def _work_orders(session: Session, batch: list[TechnicianSheet]) -> dict[str, WorkOrderInfo]:
    ids = sorted({
        wo for s in batch for day in s.timesheet.days
        for wo in (*day.drive, *day.on_site) if wo is not None
    })
    found = {}
    for part in _in_parts(ids):
        for wo, customer, billable in session.execute(
            select(WorkOrder.id, WorkOrder.customer, WorkOrder.billable).where(WorkOrder.id.in_(part))
        ):
            found[wo] = WorkOrderInfo(customer, billable)
    return found


def _user(session: Session, username: str | None) -> tuple[str, int | None]:
    if username is None:
        return f"os:{getpass.getuser()}", None
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise ExportError(f"no active hub user {username!r}")
    return username, user.id


def export_period(
    session: Session,
    settings: HubSettings,
    day: date,
    format_name: str,
    *,
    preview: bool = False,
    out_dir: Path | None = None,
    by: str | None = None,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    chunk: int = CHUNK,
) -> ExportResult:
    """Export the pay period holding `day` in `format_name` into `out_dir` (default: the
    settings' export directory), record it, and say what changed since the previous
    export of the period. Only technicians whose every week of the period is approved go
    in, unless `preview`. `progress(n)`: n more technicians done."""
    fmt = export_format(format_name)
    fmt.check(settings.export)
    period = period_of(day, settings)
    exported_by, user_id = _user(session, by)
    directory = out_dir or settings.export.directory
    directory.mkdir(parents=True, exist_ok=True)
    record = PayrollExport(
        period_start=period.start, period_end=period.end, format=fmt.name, preview=preview,
        exported_at=now or datetime.now(timezone.utc), exported_by=exported_by, user_id=user_id,
    )
    session.add(record)
    session.flush()
    result = ExportResult(record.id, period, fmt.name, preview)
    context = ExportContext(period, settings.export, preview)
    names = fmt.file_names(period, settings.export, preview)
    partials = [directory / f".{name}.partial" for name in names]
    try:
        files = [p.open("w", encoding="utf-8", newline=fmt.newline) for p in partials]
        try:
            fmt.write(_approved(session, settings, fmt, context, result, chunk, progress), context, files)
        finally:
            for f in files:
                f.close()
        for partial, name in zip(partials, names):
            final = partial.replace(directory / name)
            stored = keep_file(session, record.id, final)
            result.files.append(ExportedFile(final, stored.sha256, stored.size))
        record.technicians, record.left_out = result.exported, len(result.left_out)
        session.flush()
        result.changes = changes_since(session, record)
        result.notes = context.notes
        session.commit()
    except BaseException:
        session.rollback()
        for partial in partials:
            partial.unlink(missing_ok=True)
        raise
    return result


def _approved(session: Session, settings: HubSettings, fmt: ExportFormat, context: ExportContext,
              result: ExportResult, chunk: int, progress: Callable[[int], None] | None
              ) -> Iterator[TechnicianSheet]:
    """The technicians that go in the file, recording every technician as it passes."""
    period, payroll = context.period, settings.payroll
    week_start = WEEKDAYS.index(payroll.week_start)
    weeks = weeks_of(period, week_start)
    stream = timesheets(session, payroll, period.start, period.end, chunk=chunk)
    for batch in _batches(stream, chunk):
        decisions = (_decisions(session, [s.technician.id for s in batch], weeks)
                     if payroll.approval_levels else {})
        context.work_orders = _work_orders(session, batch)
        rows, going = [], []
        for sheet in batch:
            technician = sheet.technician
            status, reason = "exported", None
            employee = context.employee_id(technician)
            if not context.preview and not period_approved(
                    decisions.get(technician.id, []), period, week_start, payroll.approval_levels):
                status, reason = "not_approved", "not approved for every week of the period"
            elif fmt.needs_employee_id and employee is None:
                status, reason = "no_employee_id", "no payroll id"
            elif fmt.needs_employee_id and (problem := fmt.employee_problem(employee)):
                status, reason = "no_employee_id", problem
            hours = period_hours(sheet.timesheet, period)
            rows.append({
                "export_id": result.export_id, "technician_id": technician.id, "status": status,
                "regular_us": hours.regular, "overtime_us": hours.overtime,
                "double_time_us": hours.double_time, "premium_us": hours.premium,
            })
            if reason is None:
                going.append(sheet)
            else:
                result.left_out.append(LeftOut(technician.id, technician.name, reason))
        session.execute(insert(PayrollExportTechnician), rows)
        result.exported += len(going)
        yield from going
        if progress is not None:
            progress(len(batch))
