"""Requests to attribute drive legs again after what decides their driver or work order
changed on the web: a check-in, a van's assignment, a work-order site's geofence.

The web writes a request in the same transaction as the change; the ingest, the one
writer of drive legs, takes pending requests, rebuilds the legs they name and deletes them
in one transaction, so a crash leaves a request pending, never lost.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, and_, delete, func, or_, select, true
from sqlalchemy.orm import Mapped, Session, mapped_column

from hub.store.base import Base
from hub.store.organisation import VehicleAssignment
from hub.store.time_records import DriveLeg

REASONS = ("check_in", "check_out", "assignment", "geofence")


class LegRebuildRequest(Base):
    """Whose legs to attribute again and over which instants: a van's, a technician's
    (the vans they drove or were assigned then), or those near a work order's site."""

    __tablename__ = "leg_rebuild_requests"
    __table_args__ = (
        CheckConstraint(
            "vehicle_id IS NOT NULL OR technician_id IS NOT NULL OR work_order_id IS NOT NULL",
            name="names_whose_legs"),
        CheckConstraint(f"reason IN {REASONS}", name="reason_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[str | None] = mapped_column(ForeignKey("vehicles.id"))
    technician_id: Mapped[str | None] = mapped_column(ForeignKey("technicians.id"))
    work_order_id: Mapped[str | None] = mapped_column(ForeignKey("work_orders.id"))
    since: Mapped[datetime | None]  # the changed instants; None: open on that side
    until: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[datetime]


class UnknownReason(ValueError):
    """A request must say why it was made, as one of REASONS."""


def request_leg_rebuild(
    session: Session,
    reason: str,
    requested_at: datetime,
    since: datetime | None,
    until: datetime | None,
    *,
    vehicle_id: str | None = None,
    technician_id: str | None = None,
    work_order_id: str | None = None,
) -> LegRebuildRequest:
    """Ask for the legs affected by a change at the instants [since, until] to be
    attributed again; part of the caller's transaction."""
    if reason not in REASONS:
        raise UnknownReason(f"{reason!r} is not a leg rebuild reason (one of {', '.join(REASONS)})")
    if vehicle_id is None and technician_id is None and work_order_id is None:
        raise ValueError("a leg rebuild request names a vehicle, a technician or a work order")
    request = LegRebuildRequest(vehicle_id=vehicle_id, technician_id=technician_id,
                                work_order_id=work_order_id, since=since, until=until,
                                reason=reason, requested_at=requested_at)
    session.add(request)
    return request


def take_pending(session: Session, limit: int) -> list[LegRebuildRequest]:
    """The oldest pending requests, locked until the transaction ends; on PostgreSQL those
    another ingest process holds are skipped (SQLite has one writer at a time)."""
    return list(session.scalars(
        select(LegRebuildRequest).order_by(LegRebuildRequest.id).limit(limit)
        .with_for_update(skip_locked=True)
    ))


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(LegRebuildRequest))


def technician_vans(session: Session, technician_id: str, since: datetime | None,
                    until: datetime | None) -> set[str]:
    """The vans whose stored legs name the technician as driver, or that were assigned
    to them, overlapping [since, until] (None: open)."""
    L, A = DriveLeg, VehicleAssignment
    drove = select(L.vehicle_id).where(
        L.technician_id == technician_id,
        L.end_at >= since if since is not None else true(),
        L.start_at <= until if until is not None else true())
    assigned = select(A.vehicle_id).where(
        A.technician_id == technician_id,
        or_(A.ends_at.is_(None), A.ends_at > since) if since is not None else true(),
        A.starts_at <= until if until is not None else true())
    return set(session.scalars(drove.union(assigned)))


def legs_near(session: Session, work_order_id: str,
              box: tuple[float, float, float, float] | None) -> list[tuple[str, datetime, datetime]]:
    """(vehicle_id, start_at, end_at) of the legs placed at the work order's site, or
    with an end inside `box` (min lat, min lon, max lat, max lon; None: none)."""
    L = DriveLeg
    near = [L.origin_ref == work_order_id, L.destination_ref == work_order_id]
    if box is not None:
        south, west, north, east = box
        near += [and_(L.start_lat.between(south, north), L.start_lon.between(west, east)),
                 and_(L.end_lat.between(south, north), L.end_lon.between(west, east))]
    return [tuple(r) for r in session.execute(
        select(L.vehicle_id, L.start_at, L.end_at).where(or_(*near)).order_by(L.vehicle_id, L.start_at))]


def finish(session: Session, requests: list[LegRebuildRequest]) -> None:
    """Delete requests whose legs were rebuilt in this transaction."""
    if requests:
        session.execute(delete(LegRebuildRequest).where(
            LegRebuildRequest.id.in_([r.id for r in requests])))
