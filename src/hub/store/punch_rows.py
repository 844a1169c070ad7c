"""The queries behind a punch's technician and flags: badge issues, the kiosk's earlier
punches of the same boot, payroll zones, pay-period locks and timesheet approvals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.orm import Session

from hub.store.organisation import Kiosk, Technician
from hub.store.raw_events import Punch
from hub.store.time_records import PayPeriodLock, TimesheetApproval


def kiosk_clocks(session: Session, boots: dict[tuple[str, str], tuple[int, int]]
                 ) -> Sequence[Row[UUID, str | None, str | None, int | None, datetime, float | None]]:
    """(id, kiosk_id, boot, seq, at, monotonic_s) of the stored punches of each (kiosk,
    boot) from the one just below `first seq` up to `last seq`."""
    if not boots:
        return []
    clauses = []
    for (kiosk, boot), (first, last) in boots.items():
        below = (
            select(func.max(Punch.seq))
            .where(Punch.kiosk_id == kiosk, Punch.boot == boot, Punch.seq < first)
            .scalar_subquery()
        )
        clauses.append(and_(
            Punch.kiosk_id == kiosk, Punch.boot == boot, Punch.seq <= last,
            Punch.seq >= func.coalesce(below, first),
        ))
    return session.execute(
        select(Punch.id, Punch.kiosk_id, Punch.boot, Punch.seq, Punch.at, Punch.monotonic_s)
        .where(or_(*clauses))
    ).all()


def payroll_zones(session: Session, technician_ids: set[str]) -> dict[str, str]:
    if not technician_ids:
        return {}
    return dict(session.execute(
        select(Technician.id, Technician.payroll_timezone).where(Technician.id.in_(sorted(technician_ids)))
    ).all())


def locked_periods(session: Session, first: date, last: date) -> list[tuple[date, date]]:
    """First and last day of the pay periods overlapping [first, last] that are locked now."""
    L = PayPeriodLock
    return [(start, end) for start, end in session.execute(
        select(L.period_start, L.period_end).where(
            L.unlocked_at.is_(None), L.period_start <= last, L.period_end >= first)
    ).all()]


def approval_decisions(session: Session, technician_ids: set[str], first_week: date, last_week: date
                       ) -> Sequence[Row[str, date, str, str, datetime, int]]:
    """(technician_id, week_start, level, decision, decided_at, id) of these technicians' weeks."""
    if not technician_ids:
        return []
    A = TimesheetApproval
    return session.execute(
        select(A.technician_id, A.week_start, A.level, A.decision, A.decided_at, A.id).where(
            A.technician_id.in_(sorted(technician_ids)), A.week_start >= first_week,
            A.week_start <= last_week)
    ).all()


def latest_before(session: Session, technician_id: str, at: datetime) -> tuple[str | None, datetime | None]:
    """The action of the technician's latest punch at or before `at`, and their latest
    clock-in up to then (when the shift began)."""
    P = Punch
    mine = (P.technician_id == technician_id, P.at <= at)
    last = session.scalar(select(P.action).where(*mine).order_by(P.at.desc(), P.id.desc()).limit(1))
    clock_in = session.scalar(select(func.max(P.at)).where(*mine, P.action == "clock_in"))
    return last, clock_in


def by_request(session: Session, request_id: str) -> Punch | None:
    return session.scalar(select(Punch).where(Punch.request_id == request_id))


def known_technicians(session: Session, technician_ids: set[str]) -> set[str]:
    if not technician_ids:
        return set()
    return set(session.scalars(select(Technician.id).where(Technician.id.in_(sorted(technician_ids)))))


def kiosk_depots(session: Session, kiosk_ids: set[str]) -> dict[str, str]:
    """The depot each of these kiosks stands at, for the kiosks the hub has a record of."""
    if not kiosk_ids:
        return {}
    return dict(session.execute(select(Kiosk.id, Kiosk.depot_id).where(Kiosk.id.in_(sorted(kiosk_ids)))).all())
