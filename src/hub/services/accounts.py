"""Users and API tokens: creating them, logging in, resolving a bearer token."""

from __future__ import annotations

from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hub.services import web_sessions
from hub.services.passwords import DUMMY_HASH, WeakPassword, hash_password, new_token, token_hash, verify_password
from hub.services.problems import Invalid
from hub.store.access import ROLES
from hub.store.models import ApiToken, Depot, Technician, User, UserDepot
from hub.translations import LANGUAGES


def _check(session: Session, role: str, technician_id: str | None, depots: list[str]) -> None:
    if role not in ROLES:
        raise Invalid("role", f"choose one of {', '.join(ROLES)}")
    if role == "technician" and not technician_id:
        raise Invalid("technician_id", "a technician user needs the technician it is")
    if technician_id and session.get(Technician, technician_id) is None:
        raise Invalid("technician_id", f"no technician {technician_id}")
    if role in ("supervisor", "payroll") and not depots:
        raise Invalid("depots", f"a {role} needs at least one depot")
    for depot in depots:
        if session.get(Depot, depot) is None:
            raise Invalid("depots", f"no depot {depot}")


def checked_email(text: str | None) -> str | None:
    """An email address as typed (None when left empty), normalised; refused naming the
    field when it is not one (a line break, a second address, a missing domain)."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > 254:  # RFC 5321's longest path
        raise Invalid("email", "give an address of up to 254 characters")
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise Invalid("email", f"not an email address: {error}") from None


def set_email(session: Session, user: User, text: str | None) -> User:
    user.email = checked_email(text)
    session.flush()
    return user


def set_language(session: Session, user: User, language: str | None) -> None:
    """The language of a technician's own pages and emails; empty: the browser's."""
    language = (language or "").strip() or None
    if language is not None and language not in LANGUAGES:
        raise Invalid("language", f"choose one of {', '.join(LANGUAGES)}")
    if user.technician_id:
        session.get_one(Technician, user.technician_id).language = language
        session.flush()


def create_user(session: Session, username: str, password: str, role: str, now: datetime,
                technician_id: str | None = None, depots: list[str] | tuple[str, ...] = (),
                email: str | None = None) -> User:
    username = (username or "").strip()
    if not username or len(username) > 64:
        raise Invalid("username", "give a username of up to 64 characters")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Invalid("username", f"{username} is taken")
    depots = list(depots)
    _check(session, role, technician_id, depots)
    try:
        hashed = hash_password(password)
    except WeakPassword as exc:
        raise Invalid("password", str(exc)) from None
    user = User(username=username, password_hash=hashed, role=role, technician_id=technician_id or None,
                email=checked_email(email), active=True, created_at=now)
    session.add(user)
    session.flush()
    session.add_all(UserDepot(user_id=user.id, depot_id=d) for d in depots)
    session.flush()
    return user


def update_user(session: Session, user: User, role: str, technician_id: str | None, depots: list[str],
                active: bool, now: datetime, password: str | None = None, email: str | None = None) -> User:
    """A new password or disabling the user ends every web login of theirs."""
    _check(session, role, technician_id, depots)
    user.email = checked_email(email)
    if password:
        try:
            user.password_hash = hash_password(password)
        except WeakPassword as exc:
            raise Invalid("password", str(exc)) from None
    if password or not active:
        web_sessions.end_all(session, user.id, now)
    user.role, user.technician_id, user.active = role, technician_id or None, active
    session.execute(delete(UserDepot).where(UserDepot.user_id == user.id))
    session.add_all(UserDepot(user_id=user.id, depot_id=d) for d in depots)
    session.flush()
    return user


def user_depots(session: Session, user_id: int) -> list[str]:
    return list(session.scalars(select(UserDepot.depot_id).where(UserDepot.user_id == user_id)))


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None or not user.active:
        verify_password(DUMMY_HASH, password or "")
        return None
    return user if verify_password(user.password_hash, password or "") else None


def create_token(session: Session, user: User, name: str, now: datetime) -> tuple[ApiToken, str]:
    """The token itself is shown once; only its hash is kept."""
    token = new_token()
    row = ApiToken(user_id=user.id, name=name.strip() or "token", token_hash=token_hash(token), created_at=now)
    session.add(row)
    session.flush()
    return row, token


def user_of_token(session: Session, token: str) -> User | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token),
                                                ApiToken.revoked_at.is_(None)))
    if row is None:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None
