"""Submitting, approving, rejecting and voiding a technician's week, and locking pay periods.

Where a week stands is decided in `hub.rules.approval`. A final week is locked against
corrections, as is any day of a locked pay period, until payroll voids the approval or
unlocks the period. A week is approved once its last day is over, once the technician has
submitted it (unless the company's `payroll.approve_unsubmitted` says otherwise), once
every punch of it waiting for approval is approved or rejected, and, when it still has
open exceptions, only when the approver confirms having seen them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.rules import approval, workweek
from hub.rules.approval import WeekState
from hub.rules.findings import Code, TimesheetException
from hub.services.problems import Invalid, Locked
from hub.services.records import timesheets
from hub.services.scope import NotAllowed, OutOfScope, Viewer
from hub.settings import PayrollSettings
from hub.store.models import PayPeriodLock, Technician, TimesheetApproval, User

DECIDES = {"supervisor": "supervisor", "payroll": "payroll"}  # role -> the level it decides


def levels(payroll: PayrollSettings) -> tuple[str, ...]:
    """The levels that must approve, in order (the technician's submission is not one)."""
    return approval.required_levels(payroll.approval_levels)


def week_start(day: date, payroll: PayrollSettings) -> date:
    """The first day of the workweek holding `day`, under the company's settings."""
    return workweek.week_start(day, payroll.week_start_day)


def _decision(row: TimesheetApproval) -> approval.Decision:
    return approval.Decision(row.week_start, row.level, row.decision, row.decided_at, row.id, row.reason)


def decisions(session: Session, technician_id: str, week: date) -> list[TimesheetApproval]:
    return list(session.scalars(
        select(TimesheetApproval)
        .where(TimesheetApproval.technician_id == technician_id, TimesheetApproval.week_start == week)
        .order_by(TimesheetApproval.decided_at, TimesheetApproval.id)
    ))


def week_state(session: Session, payroll: PayrollSettings, technician_id: str, week: date) -> WeekState:
    return approval.week_state(map(_decision, decisions(session, technician_id, week)), payroll.approval_levels)


def history(session: Session, technician_id: str, week: date) -> list[tuple[TimesheetApproval, str]]:
    """The week's decisions with who made them."""
    rows = session.execute(
        select(TimesheetApproval, User.username).join(User, User.id == TimesheetApproval.decided_by)
        .where(TimesheetApproval.technician_id == technician_id, TimesheetApproval.week_start == week)
        .order_by(TimesheetApproval.decided_at, TimesheetApproval.id)
    )
    return [(row, name) for row, name in rows]


def active_lock(session: Session, day: date) -> PayPeriodLock | None:
    return session.scalar(select(PayPeriodLock).where(
        PayPeriodLock.unlocked_at.is_(None), PayPeriodLock.period_start <= day,
        PayPeriodLock.period_end >= day,
    ).limit(1))


def ensure_editable(session: Session, payroll: PayrollSettings, technician_id: str, day: date) -> None:
    """Raise Locked if `day` of this technician's record may not change."""
    lock = active_lock(session, day)
    if lock is not None:
        raise Locked(f"the pay period {lock.period_start:%b %d}–{lock.period_end:%b %d} is locked; "
                     "payroll must unlock it first")
    week = week_start(day, payroll)
    if week_state(session, payroll, technician_id, week).final:
        raise Locked(f"the week of {week:%b %d} is approved; payroll must void the approval "
                     "before it can change")


def _decide(session: Session, viewer: Viewer, technician: Technician, week: date, level: str,
            decision: str, now: datetime, reason: str | None = None) -> TimesheetApproval:
    row = TimesheetApproval(technician_id=technician.id, week_start=week, level=level, decision=decision,
                            decided_by=viewer.user_id, decided_at=now, reason=reason)
    session.add(row)
    session.flush()
    return row


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("reason", "say why")
    return reason


def submit(session: Session, viewer: Viewer, payroll: PayrollSettings, technician: Technician,
           week: date, now: datetime) -> TimesheetApproval:
    if viewer.technician_id != technician.id:
        raise NotAllowed("only the technician submits their own week")
    state = week_state(session, payroll, technician.id, week)
    if state.final or state.submitted:
        raise Invalid("week", f"the week of {week:%b %d} is already {state.label}")
    if week > now.date():
        raise Invalid("week", "a week can be submitted once it has begun")
    if not levels(payroll):  # the submission closes the week: nothing may wait in it
        _none_waiting(session, payroll, technician, week, now)
    return _decide(session, viewer, technician, week, "technician", "submitted", now)


def _none_waiting(session: Session, payroll: PayrollSettings, technician: Technician, week: date,
                  now: datetime) -> list[TimesheetException]:
    """The week's open exceptions; Invalid if a punch of it waits for a supervisor's approval
    (it must be approved or rejected before the week closes)."""
    found = open_exceptions(session, payroll, technician, week, now)
    waiting = [e for e in found if e.code is Code.PUNCH_AWAITS_APPROVAL]
    if waiting:
        raise Invalid("week", f"{len(waiting)} punch{'' if len(waiting) == 1 else 'es'} of the week of {week:%b %d} "
                              "wait for a supervisor to approve or reject them (Flagged punches)")
    return found


class Unconfirmed(Invalid):
    """The week has open exceptions: approving it needs the approver to say they saw them."""

    def __init__(self, week: date, exceptions: list[TimesheetException]):
        super().__init__("confirm", f"the week of {week:%b %d} has {len(exceptions)} open exception"
                                    f"{'' if len(exceptions) == 1 else 's'}; confirm to approve it anyway")
        self.exceptions = exceptions


def week_end(technician: Technician, week: date) -> datetime:
    """When the workweek's last day is over, on the technician's clock."""
    return datetime.combine(week + timedelta(days=7), time(0), ZoneInfo(technician.payroll_timezone))


def open_exceptions(session: Session, payroll: PayrollSettings, technician: Technician, week: date,
                    now: datetime) -> list[TimesheetException]:
    """The week's exceptions nobody has corrected yet."""
    (found,) = timesheets(session, payroll, week, week + timedelta(days=6), [technician.id], as_of=now)
    return _in_week(found.timesheet.exceptions, technician, week)


def _in_week(exceptions, technician: Technician, week: date) -> list[TimesheetException]:
    tz = ZoneInfo(technician.payroll_timezone)
    return [e for e in exceptions if week <= e.at.astimezone(tz).date() <= week + timedelta(days=6)]


def approve(session: Session, viewer: Viewer, payroll: PayrollSettings, technician: Technician,
            week: date, now: datetime, confirmed: bool = False) -> TimesheetApproval:
    """Approve at the level the week waits for. `confirmed`: the approver has seen the
    week's open exceptions (Unconfirmed otherwise, with them)."""
    state = week_state(session, payroll, technician.id, week)
    if state.final or state.pending is None:  # pending is None exactly when final
        raise Invalid("week", f"the week of {week:%b %d} is already approved")
    if state.pending == "technician":
        raise Invalid("week", "with no approval levels set, the technician's submission closes the week")
    if viewer.role != "admin" and DECIDES.get(viewer.role) != state.pending:
        raise NotAllowed(f"the week waits for {state.pending} approval")
    if not state.submitted and not state.approved and not payroll.approve_unsubmitted:
        raise Invalid("week", f"{technician.name} has not submitted the week of {week:%b %d}; the company "
                              "approves submitted weeks only (setting payroll.approve_unsubmitted)")
    if now < week_end(technician, week):
        raise Invalid("week", f"the week of {week:%b %d} is still running until the end of "
                              f"{week + timedelta(days=6):%a %b %d}; approve it once its last day is over")
    found = _none_waiting(session, payroll, technician, week, now)
    if found and not confirmed:
        raise Unconfirmed(week, found)
    return _decide(session, viewer, technician, week, state.pending, "approved", now)


def reject(session: Session, viewer: Viewer, payroll: PayrollSettings, technician: Technician,
           week: date, reason: str | None, now: datetime) -> TimesheetApproval:
    viewer.require("supervisor", "payroll", "admin")
    reason = _reason(reason)
    state = week_state(session, payroll, technician.id, week)
    if state.final:
        raise Invalid("week", "an approved week is voided by payroll, not rejected")
    if not (state.submitted or state.approved):
        raise Invalid("week", "only a submitted week can be sent back")
    level = DECIDES.get(viewer.role, state.pending or "supervisor")
    return _decide(session, viewer, technician, week, level, "rejected", now, reason)


def void(session: Session, viewer: Viewer, payroll: PayrollSettings, technician: Technician,
         week: date, reason: str | None, now: datetime) -> TimesheetApproval:
    viewer.require("payroll", "admin")
    reason = _reason(reason)
    if not week_state(session, payroll, technician.id, week).final:
        raise Invalid("week", "only an approved week can be voided")
    return _decide(session, viewer, technician, week, "payroll", "voided", now, reason)


def lock_period(session: Session, viewer: Viewer, start: date, end: date, now: datetime) -> PayPeriodLock:
    viewer.require("payroll", "admin")
    if end < start:
        raise Invalid("period_end", "the period ends before it starts")
    if active_lock(session, start) or active_lock(session, end):
        raise Invalid("period_start", "this period is already locked")
    lock = PayPeriodLock(period_start=start, period_end=end, locked_by=viewer.user_id, locked_at=now)
    session.add(lock)
    session.flush()
    return lock


def unlock_period(session: Session, viewer: Viewer, lock_id: int, reason: str | None,
                  now: datetime) -> PayPeriodLock:
    viewer.require("payroll", "admin")
    reason = _reason(reason)
    lock = session.get(PayPeriodLock, lock_id)
    if lock is None or lock.unlocked_at is not None:
        raise Invalid("lock", "no such lock in force")
    lock.unlocked_by, lock.unlocked_at, lock.unlock_reason = viewer.user_id, now, reason
    session.flush()
    return lock


def locks(session: Session) -> list[PayPeriodLock]:
    return list(session.scalars(select(PayPeriodLock).order_by(PayPeriodLock.period_start.desc()).limit(50)))


def weeks_in_approval(session: Session, payroll: PayrollSettings, technician_ids: list[str],
                      since: date) -> list[tuple[str, date, WeekState]]:
    """(technician, week, state) of the weeks since `since` that someone has acted on."""
    keys = session.execute(select(TimesheetApproval.technician_id, TimesheetApproval.week_start).where(
        TimesheetApproval.technician_id.in_(technician_ids), TimesheetApproval.week_start >= since).distinct())
    return [(tech, week, week_state(session, payroll, tech, week))
            for tech, week in sorted(keys, key=lambda k: (k[1], k[0]))]


@dataclass(frozen=True)
class QueuedWeek:
    """A week waiting for the viewer, with what they need to decide it (plain data, no
    database rows, so that pages may share it for a few seconds)."""

    technician_id: str
    name: str
    zone: str
    week: date
    state: WeekState
    worked: int  # µs
    overtime: int  # µs, overtime and double time
    exceptions: tuple[TimesheetException, ...]
    running: bool  # its last day is not over yet

    @property
    def returned(self) -> bool:
        """Sent back: it waits for the technician, not for an approver."""
        return not self.state.submitted and not self.state.approved and self.state.rejection is not None

    @property
    def clean(self) -> bool:
        """Approvable in bulk: over, not sent back, no open exceptions."""
        return not (self.running or self.returned or self.exceptions)


def _waits_for(viewer: Viewer, state: WeekState) -> bool:
    if state.final or not (state.submitted or state.approved or state.rejection):
        return False
    return viewer.role == "admin" or state.pending in (DECIDES.get(viewer.role), "technician")


def queue(session: Session, viewer: Viewer, payroll: PayrollSettings, since: date,
          now: datetime) -> list[QueuedWeek]:
    """The weeks since `since` waiting for the viewer's level (submitted, or approved by
    the level before) and those sent back, oldest first, each with its hours and open
    exceptions: one timesheet computation for all of them."""
    ids = viewer.technician_ids(session)
    waiting = [(tech, week, state) for tech, week, state in weeks_in_approval(session, payroll, ids, since)
               if _waits_for(viewer, state)]
    if not waiting:
        return []
    first, last = min(w for _, w, _ in waiting), max(w for _, w, _ in waiting) + timedelta(days=6)
    sheets = {found.technician.id: found for found in timesheets(
        session, payroll, first, last, sorted({t for t, _, _ in waiting}), as_of=now)}
    rows = []
    for tech, week, state in waiting:
        found = sheets[tech]
        totals = next((w for w in found.timesheet.weeks if w.start == week), None)
        rows.append(QueuedWeek(
            found.technician.id, found.technician.name, found.technician.payroll_timezone, week, state, totals.worked if totals else 0,
            (totals.overtime + totals.double_time) if totals else 0,
            tuple(_in_week(found.timesheet.exceptions, found.technician, week)),
            now < week_end(found.technician, week)))
    return sorted(rows, key=lambda r: (r.week, r.name))


def approve_many(session: Session, viewer: Viewer, payroll: PayrollSettings, weeks: list[tuple[str, date]],
                 now: datetime) -> tuple[list[tuple[Technician, date]], list[tuple[str, date, str]]]:
    """Approve each (technician, week) that can be without a question: (approved, refused
    with why). A week with open exceptions is refused here: it is approved one at a time,
    after the approver has seen them."""
    approved, refused = [], []
    for technician_id, week in weeks:
        try:
            technician = viewer.technician(session, technician_id)
            approve(session, viewer, payroll, technician, week, now)
            approved.append((technician, week))
        except (Invalid, NotAllowed, OutOfScope) as error:
            refused.append((technician_id, week, getattr(error, "message", None) or str(error)))
    return approved, refused
