"""The consumer's wait for a batch to be committed, when the store commits it between the
consumer's two looks (the demo's ingest once died of that race with StopIteration)."""

from __future__ import annotations

from depotclock.mqtt_url import BrokerAddress
from hub.ingest.consumer import IngestConsumer
from hub.store.engine import make_engine


class CommitsBetweenLooks:
    """A store whose batch is not committed at the first look and is at every later one."""

    def __init__(self) -> None:
        self.looks = 0

    def ready(self, wait_s: float = 0.0) -> bool:
        self.looks += 1
        return self.looks > 1


def test_a_batch_committed_between_two_looks_is_done(tmp_path):
    consumer = IngestConsumer(BrokerAddress.from_url("mqtt://hub:x@127.0.0.1:1"),
                              make_engine(f"sqlite:///{tmp_path / 'hub.db'}"), store_processes=0)
    store = CommitsBetweenLooks()
    assert consumer._await([(store, [1])], heartbeat=None) is True
    assert store.looks >= 3
