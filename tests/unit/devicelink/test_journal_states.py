"""The journal's life of an entry: unsent, sent (the broker acknowledged it), confirmed (a
hub receipt named it); only confirmed entries are pruned, and a journal from before
receipts is migrated in place."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from depotclock.journal import SCHEMA_VERSION, Journal
from depotclock.wire.badge import ReaderFamily
from depotclock.wire.codec import parse_punch
from depotclock.wire.messages import Badge, DeviceClock, Punch, PunchAction
from depotclock.wire.receipt_ranges import seq_ranges
from hub.ingest.receipts import Kept

T0 = datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)
LATER = timedelta(seconds=1)


def _punch(seq: int, message_id: uuid.UUID) -> bytes:
    return Punch(
        id=message_id, device="kiosk-1", seq=seq, at=T0, action=PunchAction.CLOCK_IN,
        badge=Badge(id="DEADBEEF", family=ReaderFamily.SIMULATED, raw="DEADBEEF"),
        clock=DeviceClock(synced=True, boot="b1", monotonic_s=1.0),
    ).model_dump_json().encode()


@pytest.fixture
def journal(tmp_path):
    journal = Journal(tmp_path / "journal.db")
    yield journal
    journal.close()


def _append(journal: Journal, count: int) -> list:
    return [journal.append("depotclock/v1/kiosk/kiosk-1/punch", "punch", _punch) for _ in range(count)]


def _receipt(entries) -> list:
    """The ranges the hub's receipt would carry for these entries."""
    return seq_ranges([(e.seq, e.id.bytes) for e in entries])


def _now() -> datetime:
    return datetime.now(timezone.utc)


def test_an_entry_is_unsent_then_sent_then_confirmed(journal):
    entries = _append(journal, 3)
    assert (journal.backlog(), journal.unconfirmed()) == (3, 3)
    journal.mark_sent([1, 2, 3])
    assert (journal.backlog(), journal.unconfirmed()) == (0, 3)
    assert journal.confirm(_receipt(entries[:2])) == 2
    assert (journal.backlog(), journal.unconfirmed()) == (0, 1)
    assert journal.confirm(_receipt(entries[:2])) == 0  # a repeated receipt changes nothing


def test_a_receipt_before_the_brokers_acknowledgement_also_settles_the_entry(journal):
    entries = _append(journal, 2)
    assert journal.confirm(_receipt(entries)) == 2
    assert journal.pending(10) == [] and journal.backlog() == 0 and journal.unconfirmed() == 0


def test_a_range_whose_ids_are_not_this_journals_confirms_nothing(journal):
    """A replaced journal starts its sequence again: a receipt for the old one's entries
    must not confirm the new one's."""
    _append(journal, 3)
    journal.mark_sent([1, 2, 3])
    others = seq_ranges([(seq, uuid.uuid4().bytes) for seq in (1, 2, 3)])
    assert journal.confirm(others) == 0
    assert journal.unconfirmed() == 3


def test_a_range_reaching_past_the_journal_confirms_nothing(journal):
    entries = _append(journal, 2)
    first, last, digest = _receipt(entries)[0]
    assert journal.confirm([(first, last + 1, digest)]) == 0


def test_sent_but_unconfirmed_entries_are_requeued_confirmed_ones_never(journal):
    entries = _append(journal, 4)
    journal.mark_sent([1, 2, 3])  # 4 is still unsent
    journal.confirm(_receipt(entries[:1]))
    assert journal.requeue_unconfirmed(_now() - timedelta(hours=1)) == (0, None)  # not overdue yet
    assert journal.requeue_unconfirmed(_now() + LATER) == (2, 2)
    assert [e.seq for e in journal.pending(10)] == [2, 3, 4]
    assert journal.unconfirmed() == 3


def test_requeueing_can_stop_below_a_seq(journal):
    """While receipts come, only the holes below the highest seq they named are resent."""
    entries = _append(journal, 5)
    journal.mark_sent([1, 2, 3, 4, 5])
    journal.confirm(_receipt([entries[0], entries[2]]))  # 2 is a hole; 4 and 5 may be queued still
    assert journal.requeue_unconfirmed(_now() + LATER, below=3) == (1, 2)
    assert [e.seq for e in journal.pending(10)] == [2]


def test_prune_forgets_only_confirmed_entries(journal):
    entries = _append(journal, 4)
    journal.mark_sent([1, 2, 3])
    journal.confirm(_receipt(entries[:2]))
    assert journal.prune(timedelta(days=30)) == 0  # confirmed just now
    assert journal.prune(timedelta(0)) == 2
    assert journal.unconfirmed() == 2 and [e.seq for e in journal.pending(10)] == [4]
    assert journal.append("t", "punch", lambda seq, i: b"").seq == 5  # the sequence goes on


def test_a_journal_from_before_receipts_is_migrated_in_place(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite3.connect(path, isolation_level=None)
    old.executescript("""
        CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
            topic TEXT NOT NULL, kind TEXT NOT NULL, payload BLOB NOT NULL,
            created_at TEXT NOT NULL, sent_at TEXT);
        CREATE INDEX entries_unsent ON entries (seq) WHERE sent_at IS NULL;
        CREATE TABLE state (key TEXT PRIMARY KEY, value BLOB NOT NULL);
        INSERT INTO entries (id, topic, kind, payload, created_at, sent_at) VALUES
            ('00000000-0000-4000-8000-000000000001', 't', 'punch', x'00', '2026-03-01T10:00:00+00:00',
             '2026-03-01T10:00:01+00:00'),
            ('00000000-0000-4000-8000-000000000002', 't', 'punch', x'00', '2026-03-01T10:00:02+00:00', NULL);
        INSERT INTO state VALUES ('roster', x'7b7d');
    """)
    old.close()
    journal = Journal(path)
    assert journal.unconfirmed() == 1  # the sent one counts as confirmed, as it did then
    assert [e.seq for e in journal.pending(10)] == [2]
    assert journal.prune(timedelta(days=1)) == 1  # confirmed when it was sent, long ago
    assert journal.get_state("roster") == b"{}"
    assert journal.append("t", "punch", lambda seq, i: b"").seq == 3
    journal.close()
    reopened = Journal(path)  # opening again migrates nothing twice
    assert reopened.unconfirmed() == 2
    reopened.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_what_the_hub_keeps_of_a_batch_confirms_exactly_those_entries(journal):
    """The hub's side (`hub.ingest.receipts.Kept`) and the journal's agree on the digest;
    a dead letter that still names its id and seq is confirmed too."""
    entries = _append(journal, 5)
    broken = journal.append("depotclock/v1/kiosk/kiosk-1/punch", "punch",
                            lambda seq, i: b'{"id": "%s", "seq": %d, "badge": 7}' % (str(i).encode(), seq))
    journal.mark_sent([1, 2, 3, 4, 5, 6])
    kept = Kept()
    for entry in entries[:2] + entries[3:]:  # entry 3 never reached the hub
        kept.message(parse_punch(entry.payload))
    kept.dead_letter(broken.topic, broken.payload)
    kept.dead_letter("depotclock/v1/kiosk/kiosk-1/status", b'{"id": "%s", "seq": 6}' % str(uuid.uuid4()).encode())
    kept.dead_letter(broken.topic, b"not json")
    (receipt,) = kept.receipts()
    assert (receipt.role, receipt.device) == ("kiosk", "kiosk-1")
    assert [r[:2] for r in receipt.stored] == [(1, 2), (4, 5)]
    assert [r[:2] for r in receipt.dead_letters] == [(6, 6)]
    assert journal.confirm(list(receipt.stored)) == 4
    assert journal.confirm(list(receipt.dead_letters)) == 1
    assert journal.requeue_unconfirmed(_now() + LATER) == (1, 3)
