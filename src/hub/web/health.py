"""Liveness and readiness, for a load balancer, a container runtime or a monitor; no login,
and nothing in the answers about the company.

`/healthz`: the process answers (no database). `/readyz`: the database answers and is at
the migration head of this code, and (SQLite) its disk has room, else 503 with the reason. The broker is not checked: the
web app serves from the database alone (the ingest process is the broker's client), so a
broker outage must not take the pages and the API out of service; ingest's own metrics
say whether it is connected.
"""

from __future__ import annotations

import logging
import shutil
from functools import cache
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from hub.store.migrate import MIGRATIONS
from hub.web.db import engine

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@cache
def head_revision() -> str | None:
    """The newest migration this code knows (None only for a package without migrations)."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


DISK_FULL_BELOW = 256 * 1024  # bytes free where the SQLite database is: too few for a batch


def _disk_full() -> str | None:
    """'disk full' and the free bytes when the SQLite database's filesystem has almost no
    room left (ingest then cannot store, and waits); None otherwise, or on PostgreSQL."""
    url = engine().url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    free = shutil.disk_usage(Path(url.database).resolve().parent).free
    if free >= DISK_FULL_BELOW:
        return None
    return f"disk full: {free} bytes free where the database is; ingest waits until there is room"


def _not_ready(reason: str):
    return jsonify(status="not ready", reason=reason), 503


@bp.route("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    try:
        with engine().connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:
        log.warning("readiness: the database does not answer: %s", exc)
        return _not_ready("the database does not answer (the hub's log has the error)")
    head = head_revision()
    if revision is None:
        return _not_ready("the database has no DepotClock tables: run `depotclock hub init-db`")
    if revision != head:
        return _not_ready(f"the database is at revision {revision}, this DepotClock needs {head}: "
                          "run `depotclock hub upgrade` (or run the version that migrated it)")
    if (full := _disk_full()) is not None:
        return _not_ready(full)
    return jsonify(status="ready", revision=revision)
