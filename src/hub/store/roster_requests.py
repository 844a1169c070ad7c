"""Requests to publish the kiosks' rosters now: a punch the web took (a phone's, a
supervisor's) changed a technician's state. The web writes one in the punch's transaction;
the ingest, which holds the broker session that publishes rosters, takes them within a
second or two (`hub.ingest.consumer`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hub.store.base import Base


class RosterRequest(Base):
    __tablename__ = "roster_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[str] = mapped_column(String(64))  # whose state changed, for the record
    requested_at: Mapped[datetime]


def request_rosters(session: Session, technician_id: str, at: datetime) -> None:
    """Part of the caller's transaction."""
    session.add(RosterRequest(technician_id=technician_id, requested_at=at))


def take_pending(session: Session) -> int:
    """Delete the pending requests in the caller's transaction; how many there were."""
    ids = list(session.scalars(select(RosterRequest.id)))
    if ids:
        session.execute(delete(RosterRequest).where(RosterRequest.id.in_(ids)))
    return len(ids)
