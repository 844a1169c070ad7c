"""Who may use the hub: users with a role, the depots they see, and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.store.base import Base

ROLES = ("technician", "supervisor", "payroll", "admin")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2
    email: Mapped[str | None] = mapped_column(String(254))  # where reminders and notices go (RFC 5321's limit)
    role: Mapped[str] = mapped_column(String(16))
    technician_id: Mapped[str | None] = mapped_column(ForeignKey("technicians.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class UserDepot(Base):
    """A depot a supervisor or payroll user is scoped to."""

    __tablename__ = "user_depots"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    depot_id: Mapped[str] = mapped_column(ForeignKey("depots.id"), primary_key=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class WebSession(Base):
    """A login on the web: the cookie holds its key (only the hash is kept), so logging out,
    a new password, a disabled user or "sign out everywhere" ends it at once, server-side."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]


class LoginThrottle(Base):
    """Failed logins counted per account and per address in fixed windows, shared by all
    web workers (the `limits` library's counters, kept in the hub's database)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int]
    expires_at: Mapped[float]  # Unix time, as the limits library reckons windows


class LoginLockout(Base):
    """A login refused for too many failures: which account or address, when, until when."""

    __tablename__ = "login_lockouts"
    __table_args__ = (CheckConstraint("scope IN ('account', 'address')", name="scope_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(128), index=True)  # the username or the address
    started_at: Mapped[datetime]
    until: Mapped[datetime]
