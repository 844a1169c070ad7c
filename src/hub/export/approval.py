"""Which timesheets may go to payroll: every workweek of the period approved at the
company's final level. Pure.

`PayrollSettings.approval_levels`: 0, no approval needed; 1, a supervisor's; 2, a
supervisor's and then payroll's. At each level the latest approve/reject/void decision
counts (a submission neither approves nor reopens), and a rejection or void at any level
after the final approval undoes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable

from hub.export.period_hours import PayPeriod

LEVELS = {0: (), 1: ("supervisor",), 2: ("supervisor", "payroll")}
UNDOING = ("rejected", "voided")


@dataclass(frozen=True)
class Decision:
    """One decision on a technician's workweek, as TimesheetApproval stores it."""

    week_start: date
    level: str
    decision: str  # submitted | approved | rejected | voided
    decided_at: datetime
    id: int = 0  # orders decisions made in the same instant


def weeks_of(period: PayPeriod, week_start_day: int) -> list[date]:
    """First days of the workweeks that overlap `period` (0 = Monday)."""
    first = period.start - timedelta(days=(period.start.weekday() - week_start_day) % 7)
    return [first + timedelta(days=7 * i) for i in range((period.end - first).days // 7 + 1)]


def _order(decision: Decision) -> tuple[datetime, int]:
    return decision.decided_at, decision.id


def week_approved(decisions: Iterable[Decision], approval_levels: int) -> bool:
    """Whether one workweek's decisions approve it at every level the company requires."""
    counted = [d for d in decisions if d.decision != "submitted"]
    final = None
    for level in LEVELS[approval_levels]:
        at_level = [d for d in counted if d.level == level]
        if not at_level:
            return False
        final = max(at_level, key=_order)
        if final.decision != "approved":
            return False
    if final is None:
        return True
    return not any(d.decision in UNDOING and _order(d) > _order(final) for d in counted)


def period_approved(decisions: Iterable[Decision], period: PayPeriod, week_start_day: int,
                    approval_levels: int) -> bool:
    """Whether every workweek overlapping `period` is approved (`decisions`: one
    technician's, any weeks)."""
    if approval_levels == 0:
        return True
    by_week: dict[date, list[Decision]] = {}
    for decision in decisions:
        by_week.setdefault(decision.week_start, []).append(decision)
    return all(week_approved(by_week.get(week, []), approval_levels)
               for week in weeks_of(period, week_start_day))
