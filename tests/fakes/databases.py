"""Database fixtures: every store test runs on SQLite and on PostgreSQL.

PostgreSQL databases are throw-away: one migrated template per test session, cloned for
each test (CREATE DATABASE ... TEMPLATE), dropped afterwards. Dropping a database waits for
a checkpoint (about a second here), so drops run on background threads, where concurrent
ones share their checkpoints, while the next tests run.
"""

from __future__ import annotations

import itertools
import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from hub.store.engine import make_engine, session_factory
from hub.store.migrate import upgrade

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
BACKENDS = ["sqlite", "postgresql"]
DROPPING_THREADS = 8


def _admin(sql: str) -> None:
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


class PostgresDatabases:
    """Creates and drops throw-away databases on the local server."""

    def __init__(self) -> None:
        self.prefix = f"depotclock_test_{uuid.uuid4().hex[:8]}"
        self.template: str | None = None
        self.created: list[str] = []
        self._numbers = itertools.count()
        self._dropping = ThreadPoolExecutor(DROPPING_THREADS, thread_name_prefix="drop-database")

    def create(self, template: str | None = None) -> str:
        name = f"{self.prefix}_{next(self._numbers)}"
        _admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.created.append(name)
        return f"{PG_SERVER}/{name}"

    def migrated(self) -> str:
        if self.template is None:
            url = self.create()
            upgrade(url)
            self.template = url.rsplit("/", 1)[1]
        return self.create(template=self.template)

    def release(self, url: str) -> None:
        """Drop one test's database in the background; `drop_all` waits for it."""
        name = url.rsplit("/", 1)[1]
        self.created.remove(name)
        self._dropping.submit(_drop, name)

    def drop_all(self) -> None:
        for name in self.created:
            self._dropping.submit(_drop, name)
        self._dropping.shutdown(wait=True)


def _drop(name: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
def database_url(request, tmp_path) -> Iterator[str]:
    """An empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
        return
    databases = request.getfixturevalue("postgres_databases")
    url = databases.create()
    yield url
    databases.release(url)


@pytest.fixture(params=BACKENDS)
def migrated_url(request, tmp_path) -> Iterator[str]:
    """A database at the newest revision, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "hub.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    databases = request.getfixturevalue("postgres_databases")
    url = databases.migrated()
    yield url
    databases.release(url)


@pytest.fixture
def session(migrated_url):
    engine = make_engine(migrated_url)
    with session_factory(engine)() as session:
        yield session
    engine.dispose()
