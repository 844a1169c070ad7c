"""Submitting, approving, rejecting and voiding a technician's week, and locking pay periods.

Where a week stands is decided in `hub.rules.approval`. A final week is locked against
corrections, as is any day of a locked pay period, until payroll voids the approval or
unlocks the period.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.rules import approval, workweek
from hub.rules.approval import WeekState
from hub.services.problems import Invalid, Locked
from hub.services.scope import NotAllowed, Viewer
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
    return _decide(session, viewer, technician, week, "technician", "submitted", now)


def approve(session: Session, viewer: Viewer, payroll: PayrollSettings, technician: Technician,
            week: date, now: datetime) -> TimesheetApproval:
    state = week_state(session, payroll, technician.id, week)
    if state.final or state.pending is None:  # pending is None exactly when final
        raise Invalid("week", f"the week of {week:%b %d} is already approved")
    if state.pending == "technician":
        raise Invalid("week", "with no approval levels set, the technician's submission closes the week")
    if viewer.role != "admin" and DECIDES.get(viewer.role) != state.pending:
        raise NotAllowed(f"the week waits for {state.pending} approval")
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
