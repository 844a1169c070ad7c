"""Requests to attribute drive legs again after what decides their driver or work order
changed on the web: a check-in, a van's assignment, a work-order site's geofence.

The web writes a request in the same transaction as the change; the ingest, the one
writer of drive legs, takes pending requests and rebuilds the legs they name in one
transaction, so a crash leaves a request pending, never lost.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Row,
    String,
    and_,
    delete,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from hub.store.base import Base
from hub.store.organisation import VehicleAssignment
from hub.store.time_records import DriveLeg

REASONS = ("check_in", "assignment", "geofence")  # a check-out decides no leg


class LegRebuildRequest(Base):
    """Whose legs to attribute again and over which instants: a van's, a technician's
    (the vans they drove or were assigned then), or those near a work order's site."""

    __tablename__ = "leg_rebuild_requests"
    __table_args__ = (
        CheckConstraint(
            "vehicle_id IS NOT NULL OR technician_id IS NOT NULL OR work_order_id IS NOT NULL",
            name="names_whose_legs"),
        CheckConstraint("work_order_id IS NOT NULL OR since IS NOT NULL", name="van_or_technician_since"),
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


class IncompleteRequest(ValueError):
    """A request must say why (one of REASONS), whose legs, and for a van or a technician
    from when."""


def request_leg_rebuild(
    session: Session,
    reason: str,
    since: datetime | None,
    until: datetime | None,
    *,
    vehicle_id: str | None = None,
    technician_id: str | None = None,
    work_order_id: str | None = None,
    requested_at: datetime | None = None,
) -> LegRebuildRequest:
    """Ask for the legs affected by a change at the instants [since, until] to be
    attributed again; part of the caller's transaction. `requested_at`: for the record
    (default: now)."""
    if reason not in REASONS:
        raise IncompleteRequest(f"{reason!r} is not a leg rebuild reason (one of {', '.join(REASONS)})")
    if vehicle_id is None and technician_id is None and work_order_id is None:
        raise IncompleteRequest("a leg rebuild request names a vehicle, a technician or a work order")
    if work_order_id is None and since is None:
        raise IncompleteRequest("a van's or technician's leg rebuild request says from when")
    request = LegRebuildRequest(vehicle_id=vehicle_id, technician_id=technician_id,
                                work_order_id=work_order_id, since=since, until=until,
                                reason=reason, requested_at=requested_at or datetime.now(timezone.utc))
    session.add(request)
    return request


def take_pending(session: Session, limit: int) -> list[Row]:
    """Take the oldest pending requests (id, vehicle_id, technician_id, work_order_id,
    since, until, reason): deleted in the caller's transaction, so they are done when it
    commits and pending again if it rolls back. On PostgreSQL, requests another ingest
    process holds are skipped; SQLite has one writer at a time, and taking them writes
    first, so the transaction never has to upgrade a read lock.
    """
    R = LegRebuildRequest
    oldest = select(R.id).order_by(R.id).limit(limit).with_for_update(skip_locked=True)
    return list(session.execute(
        delete(R).where(R.id.in_(oldest.scalar_subquery()))
        .returning(R.id, R.vehicle_id, R.technician_id, R.work_order_id, R.since, R.until, R.reason)
    ).all())


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(LegRebuildRequest)) or 0  # count() has a row


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
    return [(vehicle, start, end) for vehicle, start, end in session.execute(
        select(L.vehicle_id, L.start_at, L.end_at).where(or_(*near)).order_by(L.vehicle_id, L.start_at))]
