"""The store process commits batches in order and reports a batch it could not store, so
the consumer stops without acknowledging it."""

from __future__ import annotations

import os
import signal
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from hub.ingest.store_process import StoreFailed, StoreProcess
from hub.store.engine import make_engine
from hub.store.models import Punch
from tests.integration.ingest.messages import punch

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)


def _batch(*seqs: int) -> list[tuple[str, bytes, float]]:
    return [(*punch(seq), NOW.timestamp()) for seq in seqs]


def test_batches_are_stored_in_order_by_the_store_process(migrated_url):
    first_batch = _batch(1, 2, 3)
    store = StoreProcess(migrated_url)
    try:
        store.submit(first_batch)
        store.submit([first_batch[2], *_batch(4)])  # seq 3 again, after a reconnect
        first, second = store.result(), store.result()
    finally:
        store.close()
    assert (first.stored, second.stored, second.duplicates) == (3, 1, 1)
    engine = make_engine(migrated_url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Punch)) == 4
    engine.dispose()


def test_a_batch_the_database_refuses_is_reported(tmp_path):
    store = StoreProcess(f"sqlite:///{tmp_path / 'not-migrated.db'}")
    try:
        store.submit(_batch(1))
        with pytest.raises(StoreFailed, match="no such table"):
            store.result()
    finally:
        store.close()


def test_submitting_does_not_wait_for_a_busy_store(migrated_url):
    """Batches larger than the pipe holds are handed over while the store process cannot
    read them (stopped here), so the consumer can go on feeding its other stores; once it
    runs again it stores them in order and says when each outcome is in."""
    big = [(topic, payload + b" " * 200_000, at) for topic, payload, at in _batch(1, 2, 3, 4, 5)]  # still JSON
    store = StoreProcess(migrated_url)
    try:
        os.kill(store.process.pid, signal.SIGSTOP)
        submitting = threading.Thread(target=lambda: [store.submit(batch) for batch in (big[:3], big[3:])])
        submitting.start()
        submitting.join(30)
        assert not submitting.is_alive()
        assert not store.ready()
        os.kill(store.process.pid, signal.SIGCONT)
        first, second = store.result(), store.result()
        assert (first.stored, second.stored) == (3, 2)
    finally:
        os.kill(store.process.pid, signal.SIGCONT)
        store.close()
