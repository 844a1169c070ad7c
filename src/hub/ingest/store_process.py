"""Storing batches in a process of its own, so that the MQTT client's network thread and
the store (parsing, inserting, building legs) run on two cores instead of taking turns on
one interpreter lock. Batches go in and outcomes come back in order; the consumer keeps
acknowledging only what the store process committed.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone

from hub.ingest.store_batch import BatchOutcome, IntakePolicy, Received, StoreUnavailable, store_batch
from hub.store.batch_gc import collector_paused

RETRY_FIRST_S = 0.5  # a database that cannot take a batch is tried again after this,
RETRY_MAX_S = 30.0  # doubling up to this, until it can: the batch waits, unacknowledged


class StoreFailed(Exception):
    """The store could not commit a batch (the database refused or went away); the batch
    is not acknowledged, so the broker delivers it again after a restart."""


@dataclass(frozen=True)
class _Failure:
    trace: str


@dataclass(frozen=True)
class Unavailable:
    """Why the store is waiting for the database (sent while it retries a batch)."""

    reason: str
    disk_full: bool

    @classmethod
    def of(cls, error: StoreUnavailable) -> Unavailable:
        return cls(str(error), error.disk_full)

    def __str__(self) -> str:
        return f"{'disk full' if self.disk_full else 'database unavailable'}: {self.reason}"


def _retry_delays():
    delay = RETRY_FIRST_S
    while True:
        yield delay
        delay = min(delay * 2, RETRY_MAX_S)


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
            delays = _retry_delays()
            while True:
                try:
                    # A batch makes and holds hundreds of thousands of objects; the collector
                    # would rescan them over and over (a sixth of the store's CPU).
                    with collector_paused():
                        connection.send(store_batch(engine, received(batch), policy=policy))
                    break
                except StoreUnavailable as error:  # the consumer says so, and waits
                    connection.send(Unavailable.of(error))
                    time.sleep(next(delays))
                except Exception:  # reported to the consumer, which stops
                    connection.send(_Failure(traceback.format_exc()))
                    break
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
        self.unavailable: Unavailable | None = None  # while the database cannot take a batch
        self._received: deque = deque()  # the outcome read from the pipe, not yet taken

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

    def ready(self, wait_s: float | None = 0.0) -> bool:
        """Whether the oldest submitted batch's outcome is in (`result` will not wait),
        waiting up to `wait_s` for it (None: until it is)."""
        try:
            while not self._received and self._connection.poll(wait_s):
                answer = self._connection.recv()
                if isinstance(answer, Unavailable):
                    self.unavailable = answer
                else:
                    self._received.append(answer)
            return bool(self._received)
        except (EOFError, OSError):
            return True  # `result` says what happened

    def result(self) -> BatchOutcome:
        """The outcome of the oldest submitted batch, once committed."""
        self.ready(None)  # waits for it (passing on what the store says meanwhile)
        if not self._received:
            self.process.join(1)
            raise StoreFailed(f"the store process ended (exit code {self.process.exitcode})")
        outcome = self._received.popleft()
        if isinstance(outcome, _Failure):
            raise StoreFailed(f"storing a batch failed:\n{outcome.trace}")
        self.unavailable = None
        return outcome

    def close(self) -> None:
        self._outbox.put(None)
        self._sender.join(10)
        self.process.join(10)
        if self.process.is_alive():
            self.process.terminate()
        self._connection.close()


class InlineStore:
    """The same interface, storing in the calling thread: a batch when it is submitted,
    and again (after the retry delay) when asked whether it is ready, until it is stored."""

    def __init__(self, engine, policy: IntakePolicy = IntakePolicy()):
        self.engine, self.policy = engine, policy
        self._batches: deque[list[Received]] = deque()
        self._outcomes: deque[BatchOutcome] = deque()
        self.unavailable: Unavailable | None = None
        self._delays = _retry_delays()
        self._next_try = 0.0

    def submit(self, batch: list[tuple[str, bytes, float]]) -> None:
        self._batches.append(received(batch))
        self.ready()

    def ready(self, wait_s: float = 0.0) -> bool:
        while self._batches and not self._outcomes:
            pause = self._next_try - time.monotonic()
            if pause > 0:
                if pause > wait_s:
                    time.sleep(wait_s)
                    return False
                time.sleep(pause)
            try:
                self._outcomes.append(store_batch(self.engine, self._batches[0], policy=self.policy))
            except StoreUnavailable as error:
                self.unavailable = Unavailable.of(error)
                self._next_try = time.monotonic() + next(self._delays)
                continue
            self._batches.popleft()
            self.unavailable, self._delays, self._next_try = None, _retry_delays(), 0.0
        return bool(self._outcomes)

    def result(self) -> BatchOutcome:
        while not self.ready(RETRY_MAX_S):
            pass
        return self._outcomes.popleft()

    def close(self) -> None:
        pass
