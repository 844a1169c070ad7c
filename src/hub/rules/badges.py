"""Who held a badge at an instant: badges are reissued, so the answer depends on when. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class BadgeIssue:
    badge_id: str
    technician_id: str
    active_from: datetime
    active_to: datetime | None


def badge_owner(badge_id: str, at: datetime, issues: list[BadgeIssue]) -> str | None:
    """The technician the badge was issued to at `at`, if any."""
    for issue in issues:
        if issue.badge_id == badge_id and issue.active_from <= at and (
            issue.active_to is None or at < issue.active_to
        ):
            return issue.technician_id
    return None
