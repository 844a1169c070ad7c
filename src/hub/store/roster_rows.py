"""The queries behind the kiosks' rosters: the company's active technicians, their
badges, and each one's latest punch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session, aliased

from depotclock.wire.messages import PunchAction
from hub.store.organisation import Badge, Depot, Technician
from hub.store.raw_events import Punch


def depots(session: Session, ids: set[str] | None = None) -> list[tuple[str, str]]:
    """(id, name) of the depots `ids` (None: all), in id order."""
    query = select(Depot.id, Depot.name).order_by(Depot.id)
    if ids is not None:
        query = query.where(Depot.id.in_(sorted(ids)))
    return [(id_, name) for id_, name in session.execute(query)]


def roster_rows(session: Session) -> tuple[
        Sequence[Row[str, str, str, str | None, str | None]], Sequence[Row[str, str, datetime, datetime | None]],
        Sequence[Row[str | None, str, datetime, UUID]]]:
    """The active technicians (id, name, overtime_policy, pin_hash, language); their badges
    (badge_id, technician_id, active_from, active_to); their latest punches (technician_id, action,
    at, id), more than one per technician only when several share the latest instant, and
    their latest clock-ins (when the open shift began: the auto clock-out limit counts from it)."""
    technicians = select(Technician.id).where(Technician.active.is_(True))
    people = session.execute(
        select(Technician.id, Technician.name, Technician.overtime_policy, Technician.pin_hash, Technician.language)
        .where(Technician.id.in_(technicians))
    ).all()
    badges = session.execute(
        select(Badge.badge_id, Badge.technician_id, Badge.active_from, Badge.active_to)
        .where(Badge.technician_id.in_(technicians))
    ).all()
    other = aliased(Punch)
    latest = (
        select(func.max(other.at)).where(other.technician_id == Punch.technician_id)
        .scalar_subquery()
    )
    punches = session.execute(
        select(Punch.technician_id, Punch.action, Punch.at, Punch.id)
        .where(Punch.technician_id.in_(technicians), Punch.at == latest)
    ).all()
    clocked_in = (
        select(func.max(other.at)).where(other.technician_id == Punch.technician_id,
                                         other.action == PunchAction.CLOCK_IN.value)
        .scalar_subquery()
    )
    clock_ins = session.execute(
        select(Punch.technician_id, Punch.action, Punch.at, Punch.id)
        .where(Punch.technician_id.in_(technicians), Punch.action == PunchAction.CLOCK_IN.value,
               Punch.at == clocked_in)
    ).all()
    return list(people), list(badges), [*punches, *clock_ins]
