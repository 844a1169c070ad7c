"""An export of one pay period, end to end: technicians a chunk at a time (timesheets from
the store, the approval filter, the format's rows), then the file and the record.

Memory holds one chunk per worker, whatever the number of technicians. With
`[export] workers` above 1, chunks are computed in that many processes, each with its own
database connection, and written in technician order by this one.
"""

from __future__ import annotations

import getpass
import io
import multiprocessing
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from hub.export.archive import ChangeReport, KeptFile, changes_since
from hub.export.context import ExportContext, ExportError, TechnicianSheet, WorkOrderInfo
from hub.export.formats import ExportFormat, export_format
from hub.export.identities import job_problem
from hub.export.mileage import mileage
from hub.export.period_hours import WORDS, PayCode, PayPeriod, period_hours
from hub.export.rounding import HUNDREDTH_US, hours_text, round_units
from hub.rules.approval import Decision, period_approved
from hub.rules.pay_period import pay_period
from hub.rules.workweek import weeks_of
from hub.services.payroll_identities import export_problems, identities, refuse
from hub.services.records import CHUNK, technician_pages, timesheets, touched_work_orders
from hub.settings import HubSettings
from hub.store.batch_gc import collector_paused
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


class EmptyExport(ExportError):
    """No technician would go in the file: such an export is recorded only when asked for
    (`empty_ok`), so that a period nobody approved yet is not marked exported by mistake."""

    def __init__(self, left_out: list[LeftOut]):
        named = ", ".join(f"{t.technician_id} ({t.reason})" for t in left_out[:5])
        more = f" and {len(left_out) - 5} more" if len(left_out) > 5 else ""
        super().__init__(f"no technician would go in the file; left out: {named or 'nobody'}{more}. Nothing was "
                         "recorded: confirm (the page's button, or --empty-ok) to record an export of 0 technicians")
        self.left_out = left_out


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


@dataclass(frozen=True)
class Chunk:
    """What one chunk of technicians needs; sent to a worker process as it is."""

    format_name: str
    period: PayPeriod
    preview: bool
    technician_ids: tuple[str, ...]
    export_id: int = 0


@dataclass
class ChunkOutput:
    texts: list[str]  # the chunk's rows of each file
    rows: list[dict]  # PayrollExportTechnician values, without the export id
    left_out: list[LeftOut]
    exported: int
    dropped: list[tuple[str, PayCode, int]]  # (technician, code, µs) the format cannot carry
    by_hand: list[str]  # mileage of those exported, when the format has no line for it


def period_of(day: date, settings: HubSettings) -> PayPeriod:
    """The pay period that holds `day`."""
    return PayPeriod(*pay_period(day, settings.payroll.policy("none").pay_period))


def technicians_to_export(session: Session) -> int:
    """How many technicians an export goes through (for a progress bar)."""
    return session.scalar(select(func.count()).select_from(Technician).where(Technician.tracks_time)) or 0


def _in_parts(ids: list[str]) -> Iterator[list[str]]:
    for first in range(0, len(ids), IN_LIMIT):
        yield ids[first:first + IN_LIMIT]


def _decisions(session: Session, technician_ids: list[str], weeks: list[date]) -> dict[str, list[Decision]]:
    A = TimesheetApproval
    found: dict[str, list[Decision]] = {}
    for tech, week, level, decision, at, id_ in session.execute(
        select(A.technician_id, A.week_start, A.level, A.decision, A.decided_at, A.id)
        .where(A.technician_id.in_(technician_ids), A.week_start.in_(weeks))
    ):
        found.setdefault(tech, []).append(Decision(week, level, decision, at, id_))
    return found


def _work_orders(session: Session, settings: HubSettings, period: PayPeriod, technician_ids: list[str],
                 sheets: list[TechnicianSheet]) -> dict[str, WorkOrderInfo]:
    """Customer and billable status of the chunk's work orders: those of its visits and
    legs (a subquery, not thousands of ids), then any a correction or an hours-only entry
    brought in."""
    touched = touched_work_orders(period.start, period.end, settings.payroll, technician_ids)
    query = select(WorkOrder.id, WorkOrder.customer, WorkOrder.billable, WorkOrder.quickbooks_job)
    found = {wo: WorkOrderInfo(c, b, j) for wo, c, b, j in session.execute(query.where(WorkOrder.id.in_(touched)))}
    missing = sorted({wo for s in sheets for day in s.timesheet.days for wo in day.work_orders if wo not in found})
    for part in _in_parts(missing):
        found.update((wo, WorkOrderInfo(c, b, j)) for wo, c, b, j in session.execute(query.where(WorkOrder.id.in_(part))))
    return found


def export_chunk(session: Session, settings: HubSettings, chunk: Chunk) -> ChunkOutput:
    """One chunk of technicians: their timesheets, who goes in, and their rows."""
    with collector_paused():
        return _export_chunk(session, settings, chunk)


def _export_chunk(session: Session, settings: HubSettings, chunk: Chunk) -> ChunkOutput:
    fmt = export_format(chunk.format_name)
    period, payroll = chunk.period, settings.payroll
    context = ExportContext(period, settings.export, chunk.preview, export_id=chunk.export_id)
    ids = list(chunk.technician_ids)
    sheets = list(timesheets(session, payroll, period.start, period.end, technician_ids=ids, chunk=len(ids)))
    week_start = payroll.week_start_day
    decisions = {} if chunk.preview else _decisions(session, ids, weeks_of(period.start, period.end, week_start))
    if fmt.uses_work_orders:
        context.work_orders = _work_orders(session, settings, period, ids, sheets)
    if fmt.provider is not None:
        context.identities = identities(session, fmt.provider, ids)
    output = ChunkOutput([], [], [], 0, [], [])
    going = []
    for sheet in sheets:
        technician = sheet.technician
        reason = None
        # export_problems checked the active technicians and their work orders before any
        # file was written; this catches the others (an inactive technician with hours)
        if not chunk.preview and not period_approved(
                decisions.get(technician.id, []), period.start, period.end, week_start, payroll.approval_levels):
            status, reason = "not_approved", "not approved for every week of the period"
        elif problem := fmt.person_problem(technician, context) or _jobs_problem(fmt, sheet, context):
            status, reason = "no_employee_id", problem
        else:
            status = "exported"
        hours = period_hours(sheet.timesheet, period)
        output.rows.append({
            "technician_id": technician.id, "status": status, "regular_us": hours.regular,
            "overtime_us": hours.overtime, "double_time_us": hours.double_time, "premium_us": hours.premium,
            "holiday_us": hours.holiday, "holiday_worked_us": hours.holiday_worked,
        })
        if reason is not None:
            output.left_out.append(LeftOut(technician.id, technician.name, reason))
            continue
        going.append(sheet)
        output.dropped += [(technician.id, code, hours.of(code)) for code in fmt.dropped if hours.of(code)]
        if not fmt.mileage and (miles := mileage(sheet.timesheet, period, settings.export.mileage)):
            output.by_hand.append(f"{technician.id} ({miles.distance} {miles.unit}, {miles.amount} {settings.currency})")
    buffers = [io.StringIO(newline=fmt.newline) for _ in fmt.file_names(period, settings.export, chunk.preview)]
    fmt.rows(going, context, buffers)
    output.texts = [b.getvalue() for b in buffers]
    output.exported = len(going)
    return output


def _jobs_problem(fmt: ExportFormat, sheet: TechnicianSheet, context: ExportContext) -> str | None:
    """Why the QuickBooks job of a work order of the sheet cannot go in the file, or None."""
    if not fmt.uses_jobs:
        return None
    orders = sorted({wo for day in sheet.timesheet.days for wo in day.work_orders})
    return next((f"work order {wo}: {problem}" for wo in orders
                 if (problem := job_problem(context.work_order(wo).quickbooks_job))), None)


# A worker process's settings and database sessions, made once by its initializer.
_worker: dict = {}


def _start_worker(settings: HubSettings) -> None:
    from hub.store.engine import make_engine, session_factory

    _worker["settings"] = settings
    _worker["sessions"] = session_factory(make_engine(settings.database_url))


def _export_chunk_in_worker(chunk: Chunk) -> ChunkOutput:
    with _worker["sessions"]() as session:
        return export_chunk(session, _worker["settings"], chunk)


def _chunk_outputs(session: Session, settings: HubSettings, chunks: Iterator[Chunk],
                   workers: int) -> Iterator[ChunkOutput]:
    """Each chunk's output in order: here, or from `workers` processes with at most two
    chunks each in flight."""
    if workers <= 1:
        for chunk in chunks:
            yield export_chunk(session, settings, chunk)
        return
    # spawn: a fresh interpreter, no inherited database connection
    with multiprocessing.get_context("spawn").Pool(workers, _start_worker, (settings,)) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_export_chunk_in_worker, (chunk,)))
            if len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


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
    workers: int | None = None,
    depots: frozenset[str] | None = None,
    empty_ok: bool = True,
) -> ExportResult:
    """Export the pay period holding `day` in `format_name` into `out_dir` (default: the
    settings' export directory), record it, and say what changed since the previous
    export of the period. Only technicians whose every week of the period is approved go
    in, unless `preview`. `depots`: only technicians of these home depots (default: all;
    the payroll page's scoping). `progress(n)`: n more technicians done. `empty_ok=False`:
    EmptyExport, and nothing recorded, when no technician goes in.

    A preview is written only in a format no payroll system imports (DepotClock's CSV);
    a payroll system's file is written only when every technician and work order it
    needs has a valid identity there (ExportError naming them otherwise)."""
    fmt = export_format(format_name)
    if preview and not fmt.previews:
        raise ExportError(f"a preview is written only as {export_format('generic').title} (generic), which no "
                          f"payroll system imports; {fmt.title} files are written only when final")
    fmt.check(settings.export)
    period = period_of(day, settings)
    exported_by, user_id = _user(session, by)
    if fmt.provider is not None and (problems := export_problems(session, settings, fmt, period, depots)):
        raise refuse(fmt, problems)
    directory = out_dir or settings.export.directory
    directory.mkdir(parents=True, exist_ok=True)
    record = PayrollExport(
        period_start=period.start, period_end=period.end, format=fmt.name, preview=preview,
        exported_at=now or datetime.now(timezone.utc), exported_by=exported_by, user_id=user_id,
    )
    session.add(record)
    session.flush()
    result = ExportResult(record.id, period, fmt.name, preview)
    names = fmt.file_names(period, settings.export, preview)
    partials = [directory / f".{name}.{record.id}.partial" for name in names]  # one per export
    dropped: dict[PayCode, list[str]] = defaultdict(list)
    by_hand: list[str] = []
    try:
        files = [KeptFile(session, record.id, partial, name, fmt.encoding) for partial, name in zip(partials, names)]
        try:
            fmt.header(ExportContext(period, settings.export, preview, export_id=record.id), files)
            chunks = (Chunk(fmt.name, period, preview, tuple(t.id for t in page), record.id)
                      for page in technician_pages(session, chunk, depots=depots))
            for output in _chunk_outputs(session, settings, chunks, workers or settings.export.workers):
                for f, text in zip(files, output.texts):
                    f.write(text)
                session.execute(insert(PayrollExportTechnician),
                                [{"export_id": record.id, **row} for row in output.rows])
                result.exported += output.exported
                result.left_out += output.left_out
                for tech, code, us in output.dropped:
                    dropped[code].append(f"{tech} ({hours_text(round_units(us, HUNDREDTH_US))} h)")
                by_hand += output.by_hand
                if progress is not None:
                    progress(len(output.rows))
        finally:
            stored = [f.close() for f in files]
        if not empty_ok and result.exported == 0:
            raise EmptyExport(result.left_out)
        for partial, name, kept in zip(partials, names, stored):
            final = partial.replace(directory / name)
            result.files.append(ExportedFile(final, kept.sha256, kept.size))
        record.technicians, record.left_out = result.exported, len(result.left_out)
        session.flush()
        result.changes = changes_since(session, record)
        for code, technicians in dropped.items():
            result.notes.append(f"{fmt.title} has no column for {WORDS[code]}: enter these hours by "
                                f"hand: {', '.join(technicians)}")
        if by_hand:
            result.notes.append(f"{fmt.title} has no line for mileage reimbursement: pay it another way "
                                f"(DepotClock's CSV has it): {', '.join(by_hand)}")
        session.commit()
    except BaseException:
        session.rollback()
        for partial in partials:
            partial.unlink(missing_ok=True)
        raise
    return result
