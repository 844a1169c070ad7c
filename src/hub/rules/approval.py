"""Where a technician's workweek stands in approval, from its decisions. Pure.

`approval_levels`, a company setting: 0, the technician's submission closes the week;
1, a supervisor approves it; 2, a supervisor and then payroll. Decisions count in the
order they were made: a rejection or a void, at any level, reopens the week (its approvals
and its submission undone); a submission after an approval neither approves nor reopens.
The web, the payroll export and the ingest's `locked_period` flag all ask here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from hub.rules.findings import N_
from hub.rules.workweek import weeks_of

LEVELS = ("supervisor", "payroll")
REOPENING = ("rejected", "voided")
WORDS = {"submitted": N_("submitted"), "approved": N_("approved"), "rejected": N_("sent back"), "voided": N_("approval voided")}


@dataclass(frozen=True)
class Decision:
    """One decision on a technician's workweek, as the store keeps it."""

    week_start: date
    level: str  # technician | supervisor | payroll
    decision: str  # submitted | approved | rejected | voided
    decided_at: datetime
    id: int = 0  # orders decisions made in the same instant
    reason: str | None = None


@dataclass(frozen=True)
class WeekState:
    """Where a week stands after its decisions."""

    submitted: bool
    approved: tuple[str, ...]  # levels that approved since the week last reopened
    final: bool
    pending: str | None  # the level that decides next, None when final
    rejection: Decision | None  # the last rejection, if the week came back

    @property
    def label(self) -> str:
        if self.final:
            return "approved"
        if self.approved:
            return f"approved by {', '.join(self.approved)}; waiting for {self.pending}"
        if self.submitted:
            return "submitted"
        return "returned" if self.rejection else "open"


def required_levels(approval_levels: int) -> tuple[str, ...]:
    """The levels that must approve, in order (the technician's submission is not one)."""
    return LEVELS[:approval_levels]


def week_state(decisions: Iterable[Decision], approval_levels: int) -> WeekState:
    """The state of one workweek from its decisions, in any order."""
    required = required_levels(approval_levels)
    submitted, rejection = False, None
    approved: list[str] = []
    for decision in sorted(decisions, key=lambda d: (d.decided_at, d.id)):
        if decision.decision in REOPENING:
            submitted, approved = False, []
            rejection = decision if decision.decision == "rejected" else rejection
        elif decision.decision == "submitted":
            submitted = True
        elif decision.level not in approved:
            approved.append(decision.level)
    final = all(level in approved for level in required) and (submitted or bool(required))
    pending = None if final else next((level for level in required if level not in approved), "technician")
    return WeekState(submitted, tuple(approved), final, pending, rejection)


def _by_week(decisions: Iterable[Decision]) -> dict[date, list[Decision]]:
    weeks: dict[date, list[Decision]] = {}
    for decision in decisions:
        weeks.setdefault(decision.week_start, []).append(decision)
    return weeks


def approved_weeks(decisions: Iterable[Decision], approval_levels: int) -> set[date]:
    """First days of the weeks (of one technician's `decisions`) that are final."""
    return {week for week, found in _by_week(decisions).items() if week_state(found, approval_levels).final}


def period_approved(decisions: Iterable[Decision], first_day: date, last_day: date, week_start_day: int,
                    approval_levels: int) -> bool:
    """Whether every workweek overlapping the period is final (`decisions`: one
    technician's, any weeks)."""
    weeks = _by_week(decisions)
    return all(week_state(weeks.get(week, []), approval_levels).final
               for week in weeks_of(first_day, last_day, week_start_day))
