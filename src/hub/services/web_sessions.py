"""Web logins kept server-side: the signed cookie holds only a random key; the hub keeps its
hash and whether it has ended, so logging out, a new password, a disabled user or an admin's
"sign out everywhere" ends a login at once, cookie or not."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from hub.services.passwords import token_hash
from hub.store.access import User, WebSession


def start(session: Session, user: User, now: datetime, lifetime: timedelta) -> str:
    """A new login for `user`; returns the key for the cookie. Logins older than the
    longest one can last are deleted on the way (they can no longer be used anyway)."""
    session.execute(delete(WebSession).where(WebSession.created_at < now - lifetime))
    key = secrets.token_urlsafe(32)
    session.add(WebSession(user_id=user.id, key_hash=token_hash(key), created_at=now))
    session.flush()
    return key


def user_of(session: Session, key: str | None) -> User | None:
    """The active user whose login has this key and has not ended."""
    if not key:
        return None
    row = session.scalar(select(WebSession).where(WebSession.key_hash == token_hash(key),
                                                  WebSession.ended_at.is_(None)))
    if row is None:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None


def end(session: Session, key: str, now: datetime) -> None:
    """Logging out: this login ends (the user's others go on)."""
    session.execute(update(WebSession).where(WebSession.key_hash == token_hash(key), WebSession.ended_at.is_(None))
                    .values(ended_at=now))


def end_all(session: Session, user_id: int, now: datetime) -> int:
    """Every login of the user ends (a new password, disabled, "sign out everywhere")."""
    # an UPDATE's result is a CursorResult (rowcount); Session.execute is typed to return a Result
    result = cast(CursorResult[Any], session.execute(
        update(WebSession).where(WebSession.user_id == user_id, WebSession.ended_at.is_(None)).values(ended_at=now)))
    return result.rowcount
