"""A device's durable journal: every event is on disk before the device answers.

SQLite in WAL mode with synchronous=FULL: once `append` returns, the entry survives a
power cut. The entry's sequence number is the device's message `seq`, strictly
increasing and never reused, so the hub can see gaps.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    topic TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload BLOB NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX IF NOT EXISTS entries_unsent ON entries (seq) WHERE sent_at IS NULL;
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value BLOB NOT NULL);
"""


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
        self._lock = threading.Lock()
        self.appended = threading.Condition(self._lock)

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
                "WHERE sent_at IS NULL AND seq > ? ORDER BY seq LIMIT ?",
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
        with self._lock:
            return self._db.execute("SELECT count(*) FROM entries WHERE sent_at IS NULL").fetchone()[0]

    def prune(self, keep: timedelta) -> int:
        """Forget entries sent longer ago than `keep`; the sequence goes on regardless."""
        cutoff = (datetime.now(timezone.utc) - keep).isoformat()
        with self._lock:
            return self._db.execute(
                "DELETE FROM entries WHERE sent_at IS NOT NULL AND sent_at < ?", (cutoff,)
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
