"""Storing batches in a process of its own, so that the MQTT client's network thread and
the store (parsing, inserting, building legs) run on two cores instead of taking turns on
one interpreter lock. Batches go in and outcomes come back in order; the consumer keeps
acknowledging only what the store process committed.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import traceback
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone

from hub.ingest.store_batch import BatchOutcome, IntakePolicy, Received, store_batch
from hub.store.batch_gc import collector_paused


class StoreFailed(Exception):
    """The store could not commit a batch (the database refused or went away); the batch
    is not acknowledged, so the broker delivers it again after a restart."""


@dataclass(frozen=True)
class _Failure:
    trace: str


def _serve(connection, database_url: str, policy: IntakePolicy) -> None:
    from hub.store.engine import make_engine

    engine = make_engine(database_url)
    try:
        while True:
            try:
                batch = connection.recv()
            except EOFError:  # the consumer is gone
                return
            if batch is None:
                return
            try:
                # A batch makes and holds hundreds of thousands of objects; the collector
                # would rescan them over and over (a sixth of the store's CPU).
                with collector_paused():
                    outcome = store_batch(engine, received(batch), policy=policy)
                connection.send(outcome)
            except Exception:  # reported to the consumer, which stops
                connection.send(_Failure(traceback.format_exc()))
    finally:
        engine.dispose()


def received(batch: list[tuple[str, bytes, float]]) -> list[Received]:
    """Messages as submitted: (topic, payload, received at in seconds since the epoch),
    plain values that cross to the store process cheaply."""
    return [Received(topic, payload, datetime.fromtimestamp(at, timezone.utc)) for topic, payload, at in batch]


class StoreProcess:
    """A child process running `store_batch` on what is submitted, in order. Batches are
    sent by a thread of their own: a batch is larger than the pipe holds, and the consumer
    must not wait for this store to take it while another store has nothing to do."""

    def __init__(self, database_url: str, policy: IntakePolicy = IntakePolicy()):
        context = multiprocessing.get_context("spawn")  # no threads or sockets inherited
        self._connection, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, database_url, policy), name="hub-ingest-store", daemon=True
        )
        self.process.start()
        child.close()
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._send, name="hub-ingest-send", daemon=True)
        self._sender.start()

    def _send(self) -> None:
        """Send the submitted batches, then None (the store's sign to end) after `close`."""
        while True:
            batch = self._outbox.get()
            try:
                self._connection.send(batch)
            except OSError:  # the store process is gone; `result` says so
                return
            if batch is None:
                return

    def submit(self, batch: list[tuple[str, bytes, float]]) -> None:
        """(topic, payload, received at in seconds since the epoch) per message."""
        self._outbox.put(batch)

    def ready(self) -> bool:
        """Whether the oldest submitted batch's outcome is in (`result` will not wait)."""
        try:
            return self._connection.poll()
        except (EOFError, OSError):
            return True  # `result` says what happened

    def result(self) -> BatchOutcome:
        """The outcome of the oldest submitted batch, once committed."""
        try:
            outcome = self._connection.recv()
        except (EOFError, OSError):
            self.process.join(1)
            raise StoreFailed(f"the store process ended (exit code {self.process.exitcode})") from None
        if isinstance(outcome, _Failure):
            raise StoreFailed(f"storing a batch failed:\n{outcome.trace}")
        return outcome

    def close(self) -> None:
        self._outbox.put(None)
        self._sender.join(10)
        self.process.join(10)
        if self.process.is_alive():
            self.process.terminate()
        self._connection.close()


class InlineStore:
    """The same interface, storing in the calling thread."""

    def __init__(self, engine, policy: IntakePolicy = IntakePolicy()):
        self.engine, self.policy = engine, policy
        self._outcomes: deque[BatchOutcome] = deque()

    def submit(self, batch: list[tuple[str, bytes, float]]) -> None:
        self._outcomes.append(store_batch(self.engine, received(batch), policy=self.policy))

    def ready(self) -> bool:
        return True

    def result(self) -> BatchOutcome:
        return self._outcomes.popleft()

    def close(self) -> None:
        pass
