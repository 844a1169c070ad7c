"""Write a technician's day as the worked examples state it: "Mon 07:00-16:00"."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hub.rules.events import BreakKind, DriveLeg, Place, Punch, PunchAction, WorkOrderCheck
from hub.rules.policy import PRESETS, TimesheetPolicy
from hub.rules.sheets import hours
from hub.rules.timesheet import TechnicianProfile, compute_timesheets

CHICAGO = ZoneInfo("America/Chicago")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
_ids = itertools.count(1)


def at(day: date, hhmm: str, tz: ZoneInfo = CHICAGO, fold: int = 0) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=tz).replace(fold=fold)


def punch(kind: PunchAction, when: datetime, tech="T-1", break_kind: str | None = None) -> Punch:
    return Punch(f"p{next(_ids)}", tech, kind, when, BreakKind(break_kind) if break_kind else None)


def shift(day: date, start: str, end: str, tz=CHICAGO, tech="T-1", end_day: date | None = None):
    """Clock in at `start` on `day`, out at `end` (on `end_day`, else the next day when earlier)."""
    out_day = end_day or (day + timedelta(days=1) if end <= start else day)
    return [punch(PunchAction.CLOCK_IN, at(day, start, tz), tech),
            punch(PunchAction.CLOCK_OUT, at(out_day, end, tz), tech)]


def brk(day: date, start: str, end: str, kind: str | None = None, tz=CHICAGO, tech="T-1"):
    return [punch(PunchAction.BREAK_START, at(day, start, tz), tech, kind),
            punch(PunchAction.BREAK_END, at(day, end, tz), tech)]


def drive(day: date, start: str, end: str, origin: str, destination: str, work_order=None,
          km=10.0, tz=CHICAGO, tech="T-1") -> DriveLeg:
    return DriveLeg(f"d{next(_ids)}", tech, at(day, start, tz), at(day, end, tz), km,
                    Place(origin), Place(destination), work_order)


def visit(day: date, start: str, end: str, work_order: str, tz=CHICAGO, tech="T-1"):
    return [WorkOrderCheck(f"c{next(_ids)}", tech, work_order, at(day, start, tz), True),
            WorkOrderCheck(f"c{next(_ids)}", tech, work_order, at(day, end, tz), False)]


def sheet(events, policy="flsa", tz=CHICAGO, wage="0", as_of=None, **settings):
    overtime = PRESETS[policy] if isinstance(policy, str) else policy
    profile = TechnicianProfile("T-1", Decimal(wage), tz, TimesheetPolicy(overtime=overtime, **settings))
    (result,) = compute_timesheets(events, default=profile, as_of=as_of)
    return result


def h(us: int) -> Decimal:
    return hours(us)


def week_hours(result, index=0) -> tuple[Decimal, Decimal, Decimal]:
    week = result.weeks[index]
    return h(week.regular), h(week.overtime), h(week.double_time)


def codes(result) -> list[str]:
    return [e.code.value for e in result.exceptions]


MON = date(2026, 3, 2)  # a Monday; weeks start Monday 00:00 by default


def weekday(offset: int, base: date = MON) -> date:
    return base + timedelta(days=offset)
