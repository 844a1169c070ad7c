"""Database fixtures: every store test runs on SQLite and on PostgreSQL.

PostgreSQL databases are throw-away: one migrated template per test session, cloned for
each test (CREATE DATABASE ... TEMPLATE), dropped when the session ends. A drop waits for
a checkpoint (about a second here): the drops run together, and concurrent drops share
their checkpoints (one by one they took minutes; dropped as each test ended they slowed
the tests running beside them).
"""

from __future__ import annotations

import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from hub.store.engine import make_engine, session_factory
from hub.store.migrate import upgrade

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
BACKENDS = ["sqlite", "postgresql"]
DROPPING_THREADS = 16


def _admin(sql: str) -> None:
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


class PostgresDatabases:
    """Creates and drops throw-away databases on the local server."""

    def __init__(self) -> None:
        self.prefix = f"depotclock_test_{uuid.uuid4().hex[:8]}"
        self.template: str | None = None
        self.created: list[str] = []

    def create(self, template: str | None = None) -> str:
        name = f"{self.prefix}_{len(self.created)}"
        _admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.created.append(name)
        return f"{PG_SERVER}/{name}"

    def migrated(self) -> str:
        if self.template is None:
            url = self.create()
            upgrade(url)
            self.template = url.rsplit("/", 1)[1]
        return self.create(template=self.template)

    def drop_all(self) -> None:
        with ThreadPoolExecutor(DROPPING_THREADS) as pool:
            list(pool.map(lambda name: _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'), self.created))


@pytest.fixture(scope="session")
def postgres_databases():
    try:
        _admin("SELECT 1")
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {PG_SERVER} (start it; see README): {exc}")
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite-template") / "hub.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    """An empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.db'}"
    return request.getfixturevalue("postgres_databases").create()


@pytest.fixture(params=BACKENDS)
def migrated_url(request, tmp_path) -> str:
    """A database at the newest revision, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "hub.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("postgres_databases").migrated()


@pytest.fixture
def session(migrated_url):
    engine = make_engine(migrated_url)
    with session_factory(engine)() as session:
        yield session
    engine.dispose()
