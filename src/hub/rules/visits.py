"""Work-order check-ins and check-outs -> visits, with what does not fit."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hub.rules.events import WorkOrderCheck
from hub.rules.findings import Code, TimesheetException
from hub.rules.instants import from_us
from hub.rules.shifts import Shift


@dataclass(frozen=True, slots=True)
class Visit:
    work_order: str
    start: int
    end: int
    source_ids: tuple[str, ...]


def _shift_at(shifts: list[Shift], at: int) -> Shift | None:
    return next((s for s in shifts if s.start <= at <= s.end), None)


def pair_visits(
    checks: list[tuple[int, WorkOrderCheck]], shifts: list[Shift], tz: ZoneInfo
) -> tuple[list[Visit], list[TimesheetException]]:
    """`checks`: (instant µs, check) in time order. A visit never checked out ends with
    its shift (flagged)."""
    exceptions: list[TimesheetException] = []

    def flag(code: Code, at: int, message: str, *ids: str) -> None:
        exceptions.append(TimesheetException(code, from_us(at, tz), message, ids))

    open_visits: dict[str, tuple[int, str]] = {}
    visits: list[Visit] = []
    for at, check in checks:
        if check.check_in:
            if check.work_order not in open_visits:
                open_visits[check.work_order] = (at, check.id)
            continue
        if check.work_order not in open_visits:
            flag(Code.CHECK_OUT_WITHOUT_CHECK_IN, at,
                 f"Checked out of {check.work_order} without checking in; not counted.", check.id)
            continue
        start, start_id = open_visits.pop(check.work_order)
        visits.append(Visit(check.work_order, start, at, (start_id, check.id)))
    for work_order, (start, start_id) in open_visits.items():
        shift = _shift_at(shifts, start)
        end = shift.end if shift else start
        flag(Code.VISIT_NOT_CLOSED, start,
             f"Checked in to {work_order} without checking out; counted until "
             f"{from_us(end, tz):%H:%M}.", start_id)
        visits.append(Visit(work_order, start, end, (start_id,)))
    visits.sort(key=lambda v: (v.start, v.end, v.work_order))
    latest: Visit | None = None
    for visit in visits:
        if _shift_at(shifts, visit.start) is None:
            flag(Code.CHECK_IN_OFF_CLOCK, visit.start,
                 f"Checked in to {visit.work_order} while off the clock.", visit.source_ids[0])
        if latest is not None and visit.start < latest.end:
            flag(Code.OVERLAPPING_VISITS, visit.start,
                 f"Visit to {visit.work_order} overlaps the visit to {latest.work_order}.",
                 latest.source_ids[0], visit.source_ids[0])
        if latest is None or visit.end > latest.end:
            latest = visit
    return visits, exceptions
