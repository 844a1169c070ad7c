"""A device's durable journal: every event is on disk before the device answers.

SQLite in WAL mode with synchronous=FULL: once `append` returns, the entry survives a
power cut. The entry's sequence number is the device's message `seq`, strictly
increasing and never reused, so the hub can see gaps.

An entry is unsent, then sent (the broker acknowledged it, `sent_at`), then confirmed (a
hub receipt named it, `confirmed_at`). Only confirmed entries are ever pruned; a sent
entry left unconfirmed too long is put back to unsent (`requeue_unconfirmed`), since a
broker killed outright loses what it acknowledged but had not yet delivered or saved.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from depotclock.wire.receipt_ranges import Range, range_digest

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    topic TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload BLOB NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    confirmed_at TEXT
);
CREATE INDEX IF NOT EXISTS entries_unsent ON entries (seq) WHERE sent_at IS NULL;
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value BLOB NOT NULL);
"""
SCHEMA_VERSION = 1  # PRAGMA user_version: 0 before receipts, 1 with `confirmed_at`


@dataclass(frozen=True)
class Entry:
    seq: int
    id: uuid.UUID
    topic: str
    kind: str
    payload: bytes


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class Journal:
    """One SQLite file; safe to share between the device loop and the forwarder thread."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self._migrate()
        self._lock = threading.Lock()
        self.appended = threading.Condition(self._lock)

    def _migrate(self) -> None:
        """Bring a journal from before receipts to SCHEMA_VERSION, in place and in one
        transaction. Its sent entries count as confirmed, as they did for the version
        that sent them (a broker's acknowledgement was the end then)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            if self._db.execute("PRAGMA user_version").fetchone()[0] < 1:
                columns = {row[1] for row in self._db.execute("PRAGMA table_info(entries)")}
                if "confirmed_at" not in columns:
                    self._db.execute("ALTER TABLE entries ADD COLUMN confirmed_at TEXT")
                    self._db.execute("UPDATE entries SET confirmed_at = sent_at WHERE sent_at IS NOT NULL")
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._db.execute(
                "CREATE INDEX IF NOT EXISTS entries_unconfirmed ON entries (seq) WHERE confirmed_at IS NULL"
            )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def append(self, topic: str, kind: str, build: Callable[[int, uuid.UUID], bytes]) -> Entry:
        """Store one entry; `build(seq, id)` makes its payload in the same transaction."""
        message_id = uuid.uuid4()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'entries'").fetchone()
                seq = (row[0] if row else 0) + 1
                payload = build(seq, message_id)
                self._db.execute(
                    "INSERT INTO entries (seq, id, topic, kind, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (seq, str(message_id), topic, kind, payload, _now()),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self.appended.notify_all()
        return Entry(seq, message_id, topic, kind, payload)

    def pending(self, limit: int, after: int = 0) -> list[Entry]:
        """Unsent entries with seq > `after`, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, id, topic, kind, payload FROM entries "
                "WHERE sent_at IS NULL AND confirmed_at IS NULL AND seq > ? ORDER BY seq LIMIT ?",
                (after, limit),
            ).fetchall()
        return [Entry(seq, uuid.UUID(i), topic, kind, payload) for seq, i, topic, kind, payload in rows]

    def mark_sent(self, seqs: list[int]) -> None:
        if not seqs:
            return
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "UPDATE entries SET sent_at = ? WHERE seq = ?", [(_now(), s) for s in seqs]
            )
            self._db.execute("COMMIT")

    def last_seq(self) -> int:
        """The newest sequence number handed out (0 for a new journal)."""
        with self._lock:
            row = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'entries'").fetchone()
        return row[0] if row else 0

    def backlog(self) -> int:
        """Entries the broker has not acknowledged yet: what the device still has to send."""
        with self._lock:
            return self._db.execute("SELECT count(*) FROM entries WHERE sent_at IS NULL").fetchone()[0]

    def unconfirmed(self) -> int:
        """Entries no hub receipt has named yet (the backlog included)."""
        with self._lock:
            return self._db.execute("SELECT count(*) FROM entries WHERE confirmed_at IS NULL").fetchone()[0]

    def confirm(self, ranges: list[Range]) -> int:
        """Mark confirmed the entries of each range whose ids match its digest (a range of
        another journal, or of entries pruned already, confirms nothing); how many."""
        confirmed = 0
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                now = _now()
                for first, last, digest in ranges:
                    ids = [uuid.UUID(i).bytes for (i,) in self._db.execute(
                        "SELECT id FROM entries WHERE seq BETWEEN ? AND ? ORDER BY seq", (first, last))]
                    if len(ids) != last - first + 1 or range_digest(ids) != digest:
                        continue
                    confirmed += self._db.execute(
                        "UPDATE entries SET confirmed_at = ?, sent_at = coalesce(sent_at, ?) "
                        "WHERE seq BETWEEN ? AND ? AND confirmed_at IS NULL", (now, now, first, last),
                    ).rowcount
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return confirmed

    def requeue_unconfirmed(self, sent_before: datetime, below: int | None = None) -> tuple[int, int | None]:
        """Put entries sent before `sent_before` (aware), still unconfirmed and (if given)
        with seq < `below` back to unsent, to be sent again; how many, and the lowest seq."""
        where = "WHERE confirmed_at IS NULL AND sent_at IS NOT NULL AND sent_at < ? AND seq < ?"
        values = (sent_before.astimezone(timezone.utc).isoformat(), 2**63 - 1 if below is None else below)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                count, lowest = self._db.execute(f"SELECT count(*), min(seq) FROM entries {where}", values).fetchone()
                if count:
                    self._db.execute(f"UPDATE entries SET sent_at = NULL {where}", values)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return count, lowest

    def prune(self, keep: timedelta) -> int:
        """Forget entries confirmed longer ago than `keep`, never an unconfirmed one; the
        sequence goes on regardless."""
        cutoff = (datetime.now(timezone.utc) - keep).isoformat()
        with self._lock:
            return self._db.execute(
                "DELETE FROM entries WHERE confirmed_at IS NOT NULL AND confirmed_at < ?", (cutoff,)
            ).rowcount

    def get_state(self, key: str) -> bytes | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: bytes) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()
