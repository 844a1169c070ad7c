"""Backing up the hub's SQLite database while the hub runs, and restoring a backup.

The backup uses SQLite's online backup API in one step: it reads one consistent snapshot
while ingest and the web keep writing (WAL readers do not block writers), then checks the
copy. PostgreSQL has its own tools for this (pg_dump, pg_basebackup); see the README.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from depotclock.errors import DepotClockError
from hub.store.migrate import alembic_config

POSTGRESQL_ADVICE = (
    "the hub's database is PostgreSQL: back it up with PostgreSQL's own tools, "
    "`pg_dump --format=custom` for a nightly copy, or pg_basebackup with WAL archiving "
    "for point-in-time recovery (README, section Backups)"
)


class BackupError(DepotClockError):
    """A backup or restore could not be made; nothing was changed."""


@dataclass(frozen=True)
class BackupCopy:
    """A checked SQLite copy of the hub's database."""

    path: Path
    size: int
    revision: str


@dataclass(frozen=True)
class Restored:
    """What a restore put in place, and where the database it replaced was kept."""

    database: Path
    revision: str
    previous: Path | None
    needs_upgrade: bool  # the backup is older than this code's schema


def sqlite_file(database_url: str) -> Path:
    """The database file of a SQLite URL; PostgreSQL is refused with the advice to follow."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        raise BackupError(POSTGRESQL_ADVICE)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(f"backup and restore work on a SQLite database file, not {url!r}")
    return Path(url.database)


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    uri = f"file:{path}" + ("?mode=ro" if read_only else "")
    connection = sqlite3.connect(uri, uri=True, timeout=10)
    connection.execute("PRAGMA busy_timeout=10000")
    return connection


def _revision(connection: sqlite3.Connection, path: Path) -> str:
    """The Alembic revision a DepotClock database records; refuses any other file."""
    try:
        found = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone() if found else None
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database: {exc}") from None
    if row is None:
        raise BackupError(f"{path} is not a DepotClock database (it records no schema revision)")
    return row[0]


def _check_integrity(connection: sqlite3.Connection, path: Path) -> None:
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    if problems != ["ok"]:
        raise BackupError(f"{path} failed SQLite's integrity check: {'; '.join(problems[:5])}")


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _copy_checked(source: Path, target: Path) -> str:
    """Copy `source` into a new `target` file with the backup API, as one self-contained
    file (rollback journal, no -wal beside it), check its integrity and fsync it; its
    revision."""
    with closing(_connect(source, read_only=True)) as reader:
        _revision(reader, source)
        with closing(sqlite3.connect(target)) as writer:
            reader.backup(writer)  # all pages in one step: one snapshot
            writer.execute("PRAGMA journal_mode=DELETE")
            _check_integrity(writer, target)
            revision = _revision(writer, target)
    _fsync(target)
    return revision


def backup_sqlite(database_url: str, target: Path, now: datetime) -> BackupCopy:
    """Copy the live database to `target` (a new file, or a directory to put
    hub-<UTC time>.db in), checked and fsynced before it takes its name."""
    source = sqlite_file(database_url)
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    if target.is_dir():
        target = target / f"hub-{now:%Y%m%dT%H%M%SZ}.db"
    if target.exists():
        raise BackupError(f"{target} already exists; give a new file name or a directory")
    if not target.parent.is_dir():
        raise BackupError(f"the directory {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        revision = _copy_checked(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    _fsync(target.parent)
    return BackupCopy(target, target.stat().st_size, revision)


def restore_sqlite(backup: Path, database_url: str, now: datetime) -> Restored:
    """Put `backup` in place of the database, which is kept beside it as
    <name>.before-restore-<UTC time>. The hub's processes must be stopped first."""
    database = sqlite_file(database_url)
    if not backup.is_file():
        raise BackupError(f"there is no backup at {backup}")
    with closing(_connect(backup, read_only=True)) as reader:
        revision = _revision(reader, backup)
        scripts = ScriptDirectory.from_config(alembic_config(database_url))
        if revision not in {script.revision for script in scripts.walk_revisions()}:
            raise BackupError(
                f"{backup} is at revision {revision}, which this DepotClock does not know: "
                "it comes from a newer version; restore it with that version"
            )
    incoming = database.with_name(f".{database.name}.restoring")
    incoming.unlink(missing_ok=True)
    try:
        _copy_checked(backup, incoming)
        previous = _set_aside(database, now)
        os.replace(incoming, database)
    finally:
        incoming.unlink(missing_ok=True)
    _fsync(database.parent)
    return Restored(database, revision, previous, revision != scripts.get_current_head())


def _set_aside(database: Path, now: datetime) -> Path | None:
    """Keep the current database (its WAL folded in) under a new name, by a hard link, so
    the database's own name is replaced in one rename."""
    if not database.exists():
        return None
    previous = database.with_name(f"{database.name}.before-restore-{now:%Y%m%dT%H%M%SZ}")
    if previous.exists():
        raise BackupError(f"{previous} already exists: restore again in a second")
    in_use = BackupError(f"{database} is in use: stop the hub's processes (ingest, web), then restore")
    with closing(sqlite3.connect(database, timeout=1)) as connection:
        try:  # leaving WAL mode needs the only connection: none of the hub's may be open
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.OperationalError:
            raise in_use from None
    wal = database.with_name(database.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        raise in_use
    database.with_name(database.name + "-shm").unlink(missing_ok=True)
    wal.unlink(missing_ok=True)
    os.link(database, previous)
    return previous
