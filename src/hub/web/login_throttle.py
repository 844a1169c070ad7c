"""Brute-force defence for the login form (flask-limiter): failed logins are counted per
account and per client address; past the limit a login is refused with 429 and
Retry-After (even with the right password), the lockout is recorded and the user told.

The counters live in the hub's database (`DatabaseCounters`, a `limits` storage), so every
gunicorn worker of `hub serve --workers N` sees the same counts, and they survive a restart;
memory storage would give each worker its own, multiplying the allowance by N."""

from __future__ import annotations

import time
from datetime import timedelta

from flask import current_app, flash, render_template, request
from flask_limiter import Limiter, RequestLimit
from limits.storage import Storage
from sqlalchemy import case, delete, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from hub.store.access import LoginLockout, LoginThrottle
from hub.web import db

SCHEME = "depotclock-db"
# Defaults: a person mistyping stays far below; a shared depot NAT gets room for its crew.
ACCOUNT_LIMIT, ADDRESS_LIMIT = "10 per 15 minutes", "50 per 15 minutes"


class DatabaseCounters(Storage):
    """Fixed-window counters in the `login_throttle` table of the current app's database."""

    STORAGE_SCHEME = [SCHEME]

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        table = LoginThrottle.__table__
        with db.engine().begin() as connection:
            dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
            lapsed = table.c.expires_at <= now
            statement = dialect.insert(table).values(key=key, count=amount, expires_at=now + expiry)
            statement = statement.on_conflict_do_update(index_elements=[table.c.key], set_={
                "count": case((lapsed, amount), else_=table.c.count + amount),
                "expires_at": case((lapsed, now + expiry), else_=table.c.expires_at)})
            count = connection.execute(statement.returning(table.c.count)).scalar_one()
            connection.execute(delete(LoginThrottle).where(LoginThrottle.expires_at < now - 86_400))  # long-lapsed
        return count

    def get(self, key: str) -> int:
        with db.engine().connect() as connection:
            count = connection.scalar(select(LoginThrottle.count).where(
                LoginThrottle.key == key, LoginThrottle.expires_at > time.time()))
        return count or 0

    def get_expiry(self, key: str) -> float:
        with db.engine().connect() as connection:
            expires = connection.scalar(select(LoginThrottle.expires_at).where(LoginThrottle.key == key))
        return expires or time.time()

    def check(self) -> bool:
        with db.engine().connect() as connection:
            connection.scalar(select(1))
        return True

    def reset(self) -> int | None:
        with db.engine().begin() as connection:
            return connection.execute(delete(LoginThrottle)).rowcount

    def clear(self, key: str) -> None:
        with db.engine().begin() as connection:
            connection.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def _account() -> str:
    return "account:" + (request.form.get("username") or "").strip().lower()[:64]


def _address() -> str:
    return "address:" + (request.remote_addr or "unknown")


def _refused(limit: RequestLimit):
    """Records the lockout (once per window) and answers the login page with 429."""
    from hub.web.auth import LoginForm, now

    scope, subject = limit.request_args[0].split(":", 1)
    # reset_at is a whole second past the window's end: never say more than the window
    wait = min(max(1, limit.reset_at - int(time.time())), limit.limit.get_expiry())
    started = now()
    session = db.get_session()
    already = session.scalar(select(exists().where(LoginLockout.scope == scope, LoginLockout.subject == subject,
                                                   LoginLockout.until > started)))
    if not already:
        session.add(LoginLockout(scope=scope, subject=subject, started_at=started,
                                 until=started + timedelta(seconds=wait)))
        session.commit()
        current_app.logger.warning("login locked for %s %s for %d s", scope, subject, wait)
    whose = "this account" if scope == "account" else "your address"
    flash(f"Too many failed logins for {whose}. Try again in {-(-wait // 60)} minutes.")
    response = current_app.make_response((render_template("login.html", form=LoginForm()), 429))
    response.headers["Retry-After"] = str(wait)
    return response


def _failed(response) -> bool:
    return response.status_code == 401


limiter = Limiter(key_func=_address, storage_uri=f"{SCHEME}://", strategy="fixed-window", headers_enabled=False)
per_account = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_ACCOUNT"], key_func=_account, methods=["POST"],
                            deduct_when=_failed, on_breach=_refused)
per_address = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_ADDRESS"], key_func=_address, methods=["POST"],
                            deduct_when=_failed, on_breach=_refused)


def init_app(app) -> None:
    app.config.setdefault("LOGIN_LIMIT_ACCOUNT", ACCOUNT_LIMIT)
    app.config.setdefault("LOGIN_LIMIT_ADDRESS", ADDRESS_LIMIT)
    limiter.init_app(app)
