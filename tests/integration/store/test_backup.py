"""`depotclock hub backup` copies a live SQLite database consistently; `restore` puts a
backup back, refusing anything that is not a DepotClock database this code knows."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from contextlib import closing
from datetime import datetime, timezone

from click.testing import CliRunner
from sqlalchemy import insert, select

from depotclock.cli import main
from hub.store.engine import make_engine
from hub.store.migrate import downgrade
from hub.store.models import DeadLetter

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)


def _database(tmp_path, sqlite_template) -> str:
    path = tmp_path / "hub.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def _hub(tmp_path, url: str, *args: str):
    config = tmp_path / "hub.toml"
    config.write_text(f'database_url = "{url}"\nmqtt_url = "mqtt://hub:secret@127.0.0.1:1883"\n')
    return CliRunner().invoke(main, ["hub", "--config", str(config), *args])


def _add(engine, reason: str) -> int:
    with engine.begin() as connection:
        return connection.execute(
            insert(DeadLetter).values(received_at=NOW, topic="t", payload=b"x", reason=reason)
            .returning(DeadLetter.id)
        ).scalar_one()


def _ids(url: str) -> list[int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        ids = list(connection.scalars(select(DeadLetter.id).order_by(DeadLetter.id)))
    engine.dispose()
    return ids


def test_backup_while_a_writer_keeps_inserting_holds_every_row_committed_before_it(
    tmp_path, sqlite_template
):
    url = _database(tmp_path, sqlite_template)
    engine = make_engine(url)
    committed: list[int] = []
    stop, enough = threading.Event(), threading.Event()

    def write() -> None:
        while not stop.is_set():
            committed.append(_add(engine, "writer"))
            if len(committed) >= 200:
                enough.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert enough.wait(60)
        before = list(committed)
        result = _hub(tmp_path, url, "backup", "--to", str(tmp_path / "copy.db"))
        after = len(committed)
    finally:
        stop.set()
        writer.join(10)
        engine.dispose()
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output and "revision" in result.output
    assert after > len(before), "the writer kept writing during the backup"
    assert not (tmp_path / "copy.db-wal").exists()
    with closing(sqlite3.connect(tmp_path / "copy.db")) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copied = _ids(f"sqlite:///{tmp_path / 'copy.db'}")
    assert set(before) <= set(copied)
    assert copied == committed[: len(copied)]  # one snapshot: a prefix of the commits


def test_backup_into_a_directory_names_the_file_by_time_and_never_overwrites(tmp_path, sqlite_template):
    url = _database(tmp_path, sqlite_template)
    backups = tmp_path / "backups"
    backups.mkdir()
    first = _hub(tmp_path, url, "backup", "--to", str(backups))
    assert first.exit_code == 0, first.output
    (copy,) = backups.glob("hub-*.db")
    again = _hub(tmp_path, url, "backup", "--to", str(copy))
    assert again.exit_code == 1 and "already exists" in again.output


def test_restore_round_trip_keeps_the_replaced_database(tmp_path, sqlite_template):
    url = _database(tmp_path, sqlite_template)
    engine = make_engine(url)
    kept = [_add(engine, "before the backup") for _ in range(3)]
    engine.dispose()
    assert _hub(tmp_path, url, "backup", "--to", str(tmp_path / "copy.db")).exit_code == 0
    engine = make_engine(url)
    _add(engine, "after the backup")
    engine.dispose()

    result = _hub(tmp_path, url, "restore", "--from", str(tmp_path / "copy.db"), "--yes")
    assert result.exit_code == 0, result.output
    assert _ids(url) == kept
    (previous,) = tmp_path.glob("hub.db.before-restore-*")
    assert f"kept as {previous}" in result.output
    assert len(_ids(f"sqlite:///{previous}")) == 4
    assert (tmp_path / "copy.db").exists()  # the backup stays as it was


def test_restore_asks_first(tmp_path, sqlite_template):
    url = _database(tmp_path, sqlite_template)
    assert _hub(tmp_path, url, "backup", "--to", str(tmp_path / "copy.db")).exit_code == 0
    config = tmp_path / "hub.toml"
    result = CliRunner().invoke(
        main, ["hub", "--config", str(config), "restore", "--from", str(tmp_path / "copy.db")], input="n\n"
    )
    assert result.exit_code == 1 and "Stop every hub process" in result.output
    assert not list(tmp_path.glob("hub.db.before-restore-*"))


def test_restore_refuses_what_is_not_a_depotclock_database(tmp_path, sqlite_template):
    url = _database(tmp_path, sqlite_template)
    text = tmp_path / "notes.db"
    text.write_text("not a database at all, " * 100)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    newer = tmp_path / "newer.db"
    shutil.copy(sqlite_template, newer)
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")

    for backup, reason in [
        (text, "is not a SQLite database"),
        (other, "is not a DepotClock database"),
        (newer, "which this DepotClock does not know"),
    ]:
        result = _hub(tmp_path, url, "restore", "--from", str(backup), "--yes")
        assert result.exit_code == 1 and reason in result.output, result.output
    assert not list(tmp_path.glob("hub.db.*"))  # the database was left alone


def test_restore_refuses_a_damaged_backup(tmp_path, sqlite_template):
    url = _database(tmp_path, sqlite_template)
    damaged = tmp_path / "damaged.db"
    data = bytearray(sqlite_template.read_bytes())
    page = 4096
    data[10 * page: 20 * page] = b"\xff" * (10 * page)  # ten pages of index and table b-trees
    damaged.write_bytes(bytes(data))
    result = _hub(tmp_path, url, "restore", "--from", str(damaged), "--yes")
    assert result.exit_code == 1 and "failed SQLite's integrity check" in result.output, result.output
    assert not list(tmp_path.glob("hub.db.*")) and not list(tmp_path.glob(".hub.db*"))


def test_restore_refuses_while_a_hub_process_has_the_database_open(tmp_path, sqlite_template):
    url = _database(tmp_path, sqlite_template)
    assert _hub(tmp_path, url, "backup", "--to", str(tmp_path / "copy.db")).exit_code == 0
    engine = make_engine(url)
    with engine.connect() as connection:
        connection.execute(select(DeadLetter.id)).all()
        result = _hub(tmp_path, url, "restore", "--from", str(tmp_path / "copy.db"), "--yes")
    engine.dispose()
    assert result.exit_code == 1 and "stop the hub's processes" in result.output


def test_on_postgresql_backup_points_to_its_own_tools(tmp_path):
    result = _hub(tmp_path, "postgresql://depotclock@db.example/hub", "backup", "--to", str(tmp_path))
    assert result.exit_code == 1
    assert "pg_dump" in result.output and "pg_basebackup" in result.output and "Backups" in result.output
    restore = _hub(tmp_path, "postgresql://depotclock@db.example/hub", "restore", "--from",
                   str(tmp_path / "x.db"), "--yes")
    assert restore.exit_code == 1 and "pg_dump" in restore.output


def test_restoring_an_older_backup_says_to_upgrade(tmp_path, sqlite_template):
    url = _database(tmp_path, sqlite_template)
    older = tmp_path / "older.db"
    shutil.copy(sqlite_template, older)
    downgrade(f"sqlite:///{older}", "0001")
    result = _hub(tmp_path, url, "restore", "--from", str(older), "--yes")
    assert result.exit_code == 0, result.output
    assert "revision 0001" in result.output and "run `depotclock hub upgrade`" in result.output
