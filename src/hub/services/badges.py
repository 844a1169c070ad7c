"""Enrolling the badges kiosks read but nobody holds, and retiring badges. As at any time
clock, the supervisor at the depot enrols a new hire's card: a supervisor for the
technicians and kiosks of their own depots, an admin for all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from hub.services.problems import Invalid
from hub.services.scope import OutOfScope, Viewer
from hub.store.models import Badge, Kiosk, Technician, UnknownBadgeRead

ENROLS = ("supervisor", "admin")


@dataclass(frozen=True)
class UnknownBadge:
    """A badge kiosks read and nobody holds, as its last read gave it."""

    badge_id: str
    family: str
    raw: str
    last_read: datetime
    reads: int


def _reads(viewer: Viewer) -> Select:
    """Unknown reads by the kiosks of the viewer's depots (an admin: every kiosk's)."""
    query = select(UnknownBadgeRead)
    if viewer.depots is None:
        return query
    return query.where(UnknownBadgeRead.kiosk_id.in_(select(Kiosk.id).where(Kiosk.depot_id.in_(viewer.depots))))


def unknown_badges(session: Session, viewer: Viewer) -> list[UnknownBadge]:
    """Badges read by the viewer's kiosks and not enrolled now, the latest read first."""
    viewer.require(*ENROLS)
    reads = _reads(viewer).where(
        UnknownBadgeRead.badge_id.not_in(select(Badge.badge_id).where(Badge.active_to.is_(None)))).subquery()
    rows = session.execute(
        select(reads.c.badge_id, func.max(reads.c.badge_family), func.max(reads.c.badge_raw), func.max(reads.c.at),
               func.count()).group_by(reads.c.badge_id).order_by(func.max(reads.c.at).desc()))
    return [UnknownBadge(*row) for row in rows]


def enrolled(session: Session, viewer: Viewer) -> list[Badge]:
    """Badges (current and retired) of the technicians the viewer may see."""
    viewer.require(*ENROLS)
    mine = viewer.technicians().with_only_columns(Technician.id)
    return list(session.scalars(select(Badge).where(Badge.technician_id.in_(mine))
                                .order_by(Badge.technician_id, Badge.active_from)))


def enroll_badge(session: Session, viewer: Viewer, badge_id: str, technician_id: str, now: datetime) -> Badge:
    """Give a badge one of the viewer's kiosks read to one of the viewer's technicians,
    from the read itself (id, family, raw)."""
    viewer.require(*ENROLS)
    read = session.scalar(_reads(viewer).where(UnknownBadgeRead.badge_id == badge_id)
                          .order_by(UnknownBadgeRead.at.desc()).limit(1))
    if read is None:
        raise Invalid("badge_id", f"no kiosk of your depots has read badge {badge_id}")
    try:
        technician = viewer.technician(session, technician_id)
    except OutOfScope:
        raise Invalid("technician_id", f"no technician {technician_id} in your depots") from None
    if session.scalar(select(Badge.id).where(Badge.badge_id == badge_id, Badge.active_to.is_(None))):
        raise Invalid("badge_id", f"badge {badge_id} is already enrolled")
    badge = Badge(badge_id=read.badge_id, technician_id=technician.id, family=read.badge_family,
                  raw=read.badge_raw, active_from=now)
    session.add(badge)
    session.flush()
    return badge


def retire_badge(session: Session, viewer: Viewer, badge_pk: int, now: datetime) -> Badge:
    """End an active badge of one of the viewer's technicians (lost, left the company)."""
    viewer.require(*ENROLS)
    mine = viewer.technicians().with_only_columns(Technician.id)
    badge = session.scalar(select(Badge).where(Badge.id == badge_pk, Badge.active_to.is_(None),
                                               Badge.technician_id.in_(mine)))
    if badge is None:
        raise Invalid("badge", "no such active badge of your technicians")
    badge.active_to = now
    session.flush()
    return badge
