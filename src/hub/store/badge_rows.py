"""Which technician held which badge when: the rows behind punch and cab-read resolution."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from hub.store.organisation import Badge


def badge_issues(session: Session, badge_ids: set[str]) -> Sequence[Row[str, str, datetime, datetime | None]]:
    """(badge_id, technician_id, active_from, active_to) of every issue of these badges."""
    if not badge_ids:
        return []
    return session.execute(
        select(Badge.badge_id, Badge.technician_id, Badge.active_from, Badge.active_to)
        .where(Badge.badge_id.in_(sorted(badge_ids)))
    ).all()
