"""The web app's database lifecycle, in one place: one engine per app, one session per
request (opened on first use, rolled back unless committed, closed at teardown)."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from hub.store.engine import make_engine, session_factory
from hub.web.wall_cache import WallCache


def init_app(app: Flask, database_url: str) -> None:
    engine = make_engine(database_url, pool_pre_ping=True)
    sessions = session_factory(engine)
    cache = WallCache(app.config["WALL_CACHE_SECONDS"])
    event.listen(sessions, "after_commit", lambda session: cache.clear())
    app.extensions["depotclock.engine"] = engine
    app.extensions["depotclock.sessions"] = sessions
    app.extensions["depotclock.wall_cache"] = cache
    app.teardown_appcontext(close_session)


def engine() -> Engine:
    return current_app.extensions["depotclock.engine"]


def wall_cache() -> WallCache:
    return current_app.extensions["depotclock.wall_cache"]


def get_session() -> Session:
    if "db" not in g:
        g.db = current_app.extensions["depotclock.sessions"]()
    return g.db


def own_sessions():
    """The session factory, for a response streamed after the request's session is closed."""
    return current_app.extensions["depotclock.sessions"]


def close_session(error: BaseException | None = None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.rollback()
        session.close()


def dispose(app: Flask) -> None:
    app.extensions["depotclock.engine"].dispose()
