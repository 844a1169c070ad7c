"""Technicians' records from the store, as the engine takes them, and their timesheets.

Punches, drive legs and work-order visits are read for whole workweeks around the dates
asked (overtime is decided per workweek), corrections are applied on top, and timesheets
are computed a chunk of technicians at a time, so a payroll run over thousands holds
only one chunk.

Event ids, as corrections name them: a punch's message UUID; `leg-N` for drive leg N;
`visit-N-in` / `visit-N-out` for visit N; `cN` for what correction N made; `hN` for
hours-only entry N (not voided), which has a day and no time of day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import CompoundSelect, func, select, union
from sqlalchemy.orm import Session

from depotclock.wire.messages import BreakKind, PunchAction
from hub.export.context import TechnicianSheet
from hub.rules.corrections import Correction, CorrectionKind, apply_corrections
from hub.rules.events import DriveLeg, Event, Place, Punch, WorkOrderCheck
from hub.rules.holidays import eligible
from hub.rules.hours_entries import HoursEntry
from hub.rules.policy import TimesheetPolicy
from hub.rules.task_categories import billable_categories
from hub.rules.timesheet import TechnicianProfile, compute_timesheets, empty_timesheet
from hub.rules.workweek import week_start
from hub.services.holidays import calendar
from hub.services.task_categories import categories
from hub.settings import PayrollSettings
from hub.store.batch_gc import collector_paused
from hub.store.models import (
    Correction as CorrectionRow,
)
from hub.store.models import (
    DriveLeg as DriveLegRow,
)
from hub.store.models import (
    HoursEntry as HoursEntryRow,
)
from hub.store.models import (
    HoursEntryVoid,
    Technician,
    WorkOrder,
    WorkOrderVisit,
)
from hub.store.models import (
    Punch as PunchRow,
)

CHUNK = 500
_ACTIONS = {action.value: action for action in PunchAction}  # the store's CHECK allows only these


def weeks_around(start: date, end: date, payroll: PayrollSettings) -> tuple[date, date]:
    """The first day of the first workweek touching `start`..`end` and the day after the last."""
    first = week_start(start, payroll.week_start_day)
    return first, first + timedelta(days=((end - first).days // 7 + 1) * 7)


def window(start: date, end: date, payroll: PayrollSettings) -> tuple[datetime, datetime]:
    """Instants that cover every workweek touching `start`..`end`, with a day to spare on
    either side for any payroll zone."""
    first, last = weeks_around(start, end, payroll)
    return (
        datetime.combine(first - timedelta(days=1), time(0), timezone.utc),
        datetime.combine(last + timedelta(days=1), payroll.day_start, timezone.utc),
    )


def touched_work_orders(start: date, end: date, payroll: PayrollSettings,
                        technician_ids: list[str]) -> CompoundSelect[tuple[str | None]]:
    """A subquery of the work orders the technicians' visits and drive legs of `start`..`end`
    (with `window`'s margin) are on: one statement, not thousands of ids."""
    lo, hi = window(start, end, payroll)
    V, L = WorkOrderVisit, DriveLegRow
    return union(
        select(V.work_order_id).where(V.technician_id.in_(technician_ids), V.check_in_at >= lo, V.check_in_at < hi),
        select(L.work_order_id).where(L.technician_id.in_(technician_ids), L.start_at >= lo, L.start_at < hi),
    )


def correction_event(row: CorrectionRow) -> Correction:
    values = row.values or {}

    def instant(key: str) -> datetime | None:
        return datetime.fromisoformat(values[key]) if values.get(key) else None

    return Correction(
        id=f"c{row.id}", tech=row.technician_id, kind=CorrectionKind(row.kind), replaces=row.replaces_id,
        action=PunchAction(values["action"]) if values.get("action") else None,
        at=instant("at"), end=instant("end"),
        break_kind=BreakKind(values["break_kind"]) if values.get("break_kind") else None,
        work_order=values.get("work_order"),
    )


def stored_events(session: Session, techs: list[str], lo: datetime, hi: datetime) -> list[Event]:
    """The technicians' raw punches, drive legs and visits from `lo` to `hi`, as engine events."""
    # Columns, not ORM objects, through the Core connection (no ORM result machinery): a
    # payroll run reads hundreds of thousands of these rows. (Flushed first, as the ORM's
    # autoflush would: the rows include what this session added.)
    session.flush()
    read = session.connection().execute
    events: list[Event] = [
        Punch(str(id_), tech, _ACTIONS[action], at, BreakKind(kind) if kind else None, tuple(flags or ()))
        for id_, tech, action, at, kind, flags in read(
            select(PunchRow.id, PunchRow.technician_id, PunchRow.action, PunchRow.at, PunchRow.break_kind,
                   PunchRow.flags)
            .where(PunchRow.technician_id.in_(techs), PunchRow.at >= lo, PunchRow.at < hi)
        ).all()  # one fetch, not a fetch per row
        if tech is not None  # always, by in_(techs): says so to the type checker
    ]
    L = DriveLegRow
    events += [
        DriveLeg(f"leg-{id_}", tech, start, end, km, Place(origin), Place(destination), wo)
        for id_, tech, start, end, km, origin, destination, wo in read(
            select(L.id, L.technician_id, L.start_at, L.end_at, L.distance_km, L.origin_kind,
                   L.destination_kind, L.work_order_id)
            .where(L.technician_id.in_(techs), L.start_at >= lo, L.start_at < hi)
        ).all()
        if tech is not None  # always, by in_(techs)
    ]
    V = WorkOrderVisit
    for id_, tech, wo, check_in, check_out in read(
        select(V.id, V.technician_id, func.coalesce(V.work_order_id, V.category_id), V.check_in_at, V.check_out_at)
        .where(V.technician_id.in_(techs), V.check_in_at >= lo, V.check_in_at < hi)
    ).all():
        events.append(WorkOrderCheck(f"visit-{id_}-in", tech, wo, check_in, True))
        if check_out is not None:
            events.append(WorkOrderCheck(f"visit-{id_}-out", tech, wo, check_out, False))
    return events


def stored_entries(session: Session, techs: list[str], first: date, last: date) -> list[HoursEntry]:
    """The technicians' hours-only entries of days `first` to before `last`, less the voided."""
    H = HoursEntryRow
    rows = session.connection().execute(
        select(H.id, H.technician_id, H.day, H.minutes, func.coalesce(H.work_order_id, H.category_id))
        .where(H.technician_id.in_(techs), H.day >= first, H.day < last,
               ~select(HoursEntryVoid.id).where(HoursEntryVoid.entry_id == H.id).exists())
    ).all()
    return [HoursEntry(f"h{id_}", tech, day, minutes, target) for id_, tech, day, minutes, target in rows]


def technician_pages(
    session: Session, size: int, technician_ids: list[str] | None = None,
    depots: Iterable[str] | None = None,
) -> Iterator[list[Technician]]:
    """Technicians who track time (of the given ids or home depots), in id order, `size`
    at a time (keyset pages, so a run over thousands never holds them all)."""
    after = None
    while True:
        query = select(Technician).where(Technician.tracks_time).order_by(Technician.id).limit(size)
        if technician_ids is not None:
            query = query.where(Technician.id.in_(technician_ids))
        if depots is not None:
            query = query.where(Technician.home_depot_id.in_(list(depots)))
        if after is not None:
            query = query.where(Technician.id > after)
        page = list(session.scalars(query))
        if not page:
            return
        yield page
        after = page[-1].id


def timesheets(
    session: Session,
    payroll: PayrollSettings,
    start: date,
    end: date,
    technician_ids: Iterable[str] | None = None,
    as_of: datetime | None = None,
    chunk: int = CHUNK,
) -> Iterator[TechnicianSheet]:
    """Timesheets of the given technicians (default: all who track time), in id order,
    computed from whole workweeks around `start`..`end`. `as_of`: for a live view."""
    ids = None if technician_ids is None else list(technician_ids)
    billable = frozenset(session.scalars(select(WorkOrder.id).where(WorkOrder.billable))) | billable_categories(
        categories(session))
    lo, hi = window(start, end, payroll)
    first, last = weeks_around(start, end, payroll)
    days = calendar(session, payroll.holidays, first, last - timedelta(days=1))
    policies: dict[str, TimesheetPolicy] = {}
    for page in technician_pages(session, chunk, ids):
        group = {t.id: t for t in page}
        with collector_paused():  # the chunk's events and timesheets, computed at once
            events = stored_events(session, list(group), lo, hi)
            corrections = [
                correction_event(row) for row in session.scalars(
                    select(CorrectionRow).where(CorrectionRow.technician_id.in_(list(group)))
                    .order_by(CorrectionRow.id)
                )
            ]
            corrected = apply_corrections(events, corrections)
            for name in {t.overtime_policy for t in page} - set(policies):
                policy = payroll.policy(name)
                policies[name] = replace(policy, billable_work_orders=billable,
                                         holidays=replace(policy.holidays, days=days))
            profiles = {
                t.id: TechnicianProfile(t.id, t.wage, ZoneInfo(t.payroll_timezone), policies[t.overtime_policy],
                                        eligible(t.tracks_time, t.active))
                for t in page
            }
            entries = stored_entries(session, list(group), first, last)
            sheets = {s.tech: s for s in compute_timesheets(corrected.events, profiles, as_of=as_of,
                                                            entries=entries)}
        for tech_id, technician in group.items():
            # no events in the window: a timesheet of nothing (but holidays), not a gap in the list
            sheet = sheets.get(tech_id) or empty_timesheet(profiles[tech_id])
            yield TechnicianSheet(technician, sheet, corrected.marks)
