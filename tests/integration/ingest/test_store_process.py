"""The store process commits batches in order and reports a batch it could not store, so
the consumer stops without acknowledging it."""

from __future__ import annotations

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
