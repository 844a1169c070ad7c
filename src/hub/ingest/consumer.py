"""The hub's MQTT consumer: a persistent MQTT 5 session, optionally a shared subscription.

Messages are acknowledged only after the batch they came in is committed: if the
process dies first, the broker delivers them again and the store keeps each once.

Between batches it rebuilds the drive legs the web's changes call for
(`requested_rebuilds`). It also publishes each depot's retained roster: on every connect,
within `ROSTER_EVERY_S` of a batch whose punches changed a roster or of a punch the web
took (a phone's: `hub.store.roster_requests`, looked for every `ROSTER_POLL_S`), and every `roster_refresh_s` when a roster
changed (a badge issued or withdrawn, a PIN set).
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from functools import partial

import paho.mqtt
from sqlalchemy import Engine

from depotclock.mqtt_url import BrokerAddress
from depotclock.wire.codec import encode
from depotclock.wire.messages import Roster
from depotclock.wire.topics import HUB_SUBSCRIPTIONS, roster_topic
from hub.ingest.buffered_client import BufferedSubscriber, verified_on
from hub.ingest.receipts import publish_receipts
from hub.ingest.requested_rebuilds import RequestPoller
from hub.ingest.rosters import depot_rosters, rosters_requested
from hub.ingest.store_batch import BatchOutcome, IntakePolicy
from hub.ingest.store_process import InlineStore, StoreProcess, Unavailable
from hub.ingest.subscriber import PahoSubscriber, Received, SessionEvents, Subscriber
from hub.rules.roster import same_roster

log = logging.getLogger(__name__)
READY = "ingest ready"  # logged once the subscriptions are in place
RETIRE_QUIET_S = 3.0  # retiring: nothing delivered for this long means the session is empty
IN_FLIGHT = 2  # batches in the stores at once: each store works on one while the next waits
ROSTER_POLL_S = 1.0  # how often the web's roster requests are looked for
# Punches changing the rosters are published together at most this often: each depot's
# roster holds every technician (2,000 take about a second to build and publish for 20
# depots, docs/scaling.md), and a morning rush brings a punch every few seconds.
ROSTER_EVERY_S = 2.0


def subscriptions(shared_group: str | None) -> list[str]:
    return [f"$share/{shared_group}/{t}" if shared_group else t for t in HUB_SUBSCRIPTIONS]


def make_subscriber(address: BrokerAddress, client_id: str, events: SessionEvents,
                    paho_version: str = paho.mqtt.__version__) -> Subscriber:
    """The fast subscriber on the paho versions it was verified on, else stock paho's."""
    if verified_on(paho_version):
        return BufferedSubscriber(address, client_id, events)
    log.warning("paho-mqtt %s: the fast receive path is not verified on it; receiving with "
                "stock paho (slower, the same messages)", paho_version)
    return PahoSubscriber(address, client_id, events)


def secret_group(group: str, password: str | None) -> str:
    """The shared subscription's name on the broker: `group` and a digest of it with the
    hub's password. mosquitto 2.0's ACL file does not check subscriptions, so a device
    could join a group whose name it knows and be handed a share of the hub's messages
    (which its ACL then keeps from it: lost to the hub); it cannot know this name."""
    if not password:
        return group
    return f"{group}-{hashlib.blake2b(f'{group}/{password}'.encode(), digest_size=8).hexdigest()}"


class IngestConsumer:
    def __init__(
        self,
        address: BrokerAddress,
        engine: Engine,
        client_id: str | None = None,
        shared_group: str | None = None,
        batch_size: int = 10000,
        batch_wait_s: float = 0.05,
        policy: IntakePolicy = IntakePolicy(),
        roster_refresh_s: float = 60.0,
        store_processes: int | None = None,
        retire: bool = False,
    ):
        """`batch_size`: the most messages in one batch. Live traffic makes small batches
        (what comes within `batch_wait_s`); a backlog makes large ones, which cost less per
        message (a batch's leg queries and commit are shared by more): at 2,000 a backlog
        went in faster at 10,000 than at 2,000 (docs/scaling.md).

        `store_processes`: how many child processes store batches side by side, each
        its own share of the devices; 0 stores in this thread. By default
        two on PostgreSQL and one on SQLite, which takes one writer at a time.

        `client_id`: the MQTT client id, and the username the consumer logs in under with
        the hub's password (the broker takes usernames as client ids; the hub account's
        ingest logins, hub.broker.mosquitto_files.ingest_logins); default `{hub}-ingest`.

        `retire`: take over this client id's session to scale down: unsubscribe, store
        what the session still holds, then end the session and return (a shared
        subscription's member that never comes back would otherwise keep being handed its
        share until the session expires)."""
        self.engine, self.batch_size, self.batch_wait_s = engine, batch_size, batch_wait_s
        client_id = client_id or f"{address.username or 'hub'}-ingest"
        self.roster_refresh_s = roster_refresh_s
        if store_processes is None:
            store_processes = 2 if engine.dialect.name == "postgresql" else 1
        url = engine.url.render_as_string(hide_password=False)
        self.stores: list[StoreProcess | InlineStore] = (
            [StoreProcess(url, policy) for _ in range(store_processes)]
            if store_processes else [InlineStore(engine, policy)]
        )
        self.totals = BatchOutcome()
        self.requested = RequestPoller(engine, policy.legs)  # legs the web's changes call for
        self.auto_clock_out_after_h = policy.auto_clock_out_after_h
        self.rosters: dict[str, Roster] = {}  # the last published, by depot
        self._roster_seq = 0
        self._rosters_due = threading.Event()  # set on (re)connect: publish every roster
        self._rosters_changed = False  # a punch changed them: publish within ROSTER_EVERY_S
        self._rosters_published = -math.inf  # monotonic time of the last publication
        self.subscribed = threading.Event()  # set once the broker granted the subscriptions
        self.retire = retire
        self._unsubscribed = threading.Event()  # retiring: the broker sends this session no more
        # The network thread appends (topic, payload, received at in seconds since the
        # epoch, message id); the main loop takes whole batches.
        self._inbox: deque[tuple[str, bytes, float, int]] = deque()
        self._arrived = threading.Event()
        self._stop = threading.Event()
        self._filters = subscriptions(shared_group and secret_group(shared_group, address.password))
        self._store_of: dict[str, int] = {}  # topic -> the store its messages go to
        # The broker takes the username as client id: log in as the client id.
        login = replace(address, username=client_id) if address.username else address
        self.client = make_subscriber(login, client_id, SessionEvents(
            connected=self._connected, subscribed=self._subscribed,
            unsubscribed=self._unsubscribed_from, message=self._message,
        ))

    def _connected(self) -> None:
        if self.retire:
            self.client.unsubscribe(self._filters)
        else:
            self.client.subscribe(self._filters)

    def _subscribed(self, refused: list[str]) -> None:
        if refused:
            log.error("broker refused subscriptions: %s", ", ".join(refused))
        else:
            self._rosters_due.set()
            self.subscribed.set()
            log.info("%s: subscribed to %s", READY, ", ".join(self._filters))

    def _unsubscribed_from(self) -> None:
        log.info("retiring: unsubscribed from %s; storing what the session still holds",
                 ", ".join(self._filters))
        self._unsubscribed.set()

    def _message(self, message: Received) -> None:
        self._inbox.append((message.topic, message.payload, time.time(), message.mid))
        if not self._arrived.is_set():  # _take_batch looks at the inbox again after clearing
            self._arrived.set()

    def waiting(self) -> tuple[int, datetime | None]:
        """How many messages were received but not yet handed to a store, and when the
        oldest of them arrived (for hub.ingest.metrics; the network thread may add more)."""
        inbox = self._inbox
        try:
            oldest = inbox[0][2]
        except IndexError:
            return 0, None
        return len(inbox), datetime.fromtimestamp(oldest, timezone.utc)

    def _take_batch(self, wait_s: float, stored: Callable[[], bool]) -> list[tuple[str, bytes, float, int]]:
        """Up to `batch_size` messages: what came within `batch_wait_s` of the first, waiting
        up to `wait_s` for one; sooner (possibly nothing) once `stored()` says a batch in the
        stores is committed, for it to be acknowledged first."""
        if not self._inbox:
            self._arrived.clear()
            if not self._inbox and not self._arrived.wait(wait_s):
                return []
        deadline = time.monotonic() + self.batch_wait_s
        while len(self._inbox) < self.batch_size and time.monotonic() < deadline and not stored():
            time.sleep(0.005)
        return [self._inbox.popleft() for _ in range(min(len(self._inbox), self.batch_size))]

    def publish_rosters(self, depots: set[str] | None = None, always: bool = False) -> None:
        """Publish, retained, the rosters of `depots` (None: all) that changed since last
        published (`always`: all of them). The seq is the time in milliseconds, so it keeps
        increasing across restarts and between ingest processes."""
        self._roster_seq = max(self._roster_seq + 1, time.time_ns() // 1_000_000)
        self._rosters_changed, self._rosters_published = False, time.monotonic()
        for roster in depot_rosters(self.engine, depots, datetime.now(timezone.utc), self._roster_seq,
                                    self.auto_clock_out_after_h):
            if always or not same_roster(self.rosters.get(roster.depot), roster):
                self.client.publish(roster_topic(roster.depot), encode(roster), retain=True)
                self.rosters[roster.depot] = roster

    def _rosters_requested(self) -> bool:
        try:
            return rosters_requested(self.engine)
        except Exception:  # the database is away: the requests wait, and the ingest goes on
            log.exception("looking for roster requests failed; they stay pending")
            return False

    def _finish(self, outcome: BatchOutcome, mids: list[int]) -> None:
        """A batch is committed: acknowledge its messages, count, publish changed rosters."""
        self.client.ack_many(mids)
        self.totals.stored += outcome.stored
        self.totals.duplicates += outcome.duplicates
        self.totals.dead_letters += outcome.dead_letters
        self.totals.legs += outcome.legs
        for reason in outcome.reasons:
            log.warning("dead letter: %s", reason)
        if outcome.roster_changed:
            self._rosters_changed = True
        publish_receipts(self.client, outcome.receipts)

    def run(self, heartbeat: Callable[[], None] | None = None) -> None:
        """Until `stop()`: store what arrives, batch by batch, acknowledging after commit.
        While the store works on one batch, the next one gathers. `heartbeat` is called
        once per loop iteration (at least every 0.2 s while idle): a service watchdog's
        sign of life that stops when the loop hangs."""
        self.client.start()
        refreshed = polled = time.monotonic()
        # The batches in the stores, oldest first: each a list of (store, message ids) parts.
        submitted: deque[list[tuple[StoreProcess | InlineStore, list[int]]]] = deque()
        last_message = time.monotonic()
        try:
            while not self._stop.is_set():
                if heartbeat:
                    heartbeat()
                if time.monotonic() - polled >= ROSTER_POLL_S and not self.unavailable:
                    polled = time.monotonic()
                    self._rosters_changed |= self._rosters_requested()
                if self._rosters_due.is_set():
                    self._rosters_due.clear()
                    self.publish_rosters(always=True)
                    refreshed = time.monotonic()
                elif time.monotonic() - refreshed >= self.roster_refresh_s or (
                        self._rosters_changed and time.monotonic() - self._rosters_published >= ROSTER_EVERY_S):
                    self.publish_rosters()
                    refreshed = time.monotonic()
                # Acknowledge each batch as soon as it is committed: the broker holds back
                # further messages while too many are unacknowledged.
                while submitted and self._committed(submitted[0]):
                    self._finish_batch(submitted.popleft())
                oldest = submitted[0] if submitted else []
                batch = self._take_batch(0.005 if submitted else 0.2, partial(self._committed, oldest))
                if batch:
                    last_message = time.monotonic()
                    submitted.append(self._submit(batch))
                while submitted and (len(submitted) > IN_FLIGHT or not batch):
                    if not self._await(submitted[0], heartbeat):
                        break  # stopping
                    self._finish_batch(submitted.popleft())
                if not self.unavailable:  # leg rebuilds wait for the database too
                    self.totals.legs += self.requested.poll(idle=not submitted).legs
                if self._retired(last_message, submitted):
                    break
            # Stopping: the batches in hand are committed and acknowledged, unless the
            # database cannot take them (then the broker delivers them again).
            while submitted and self._await(submitted[0], heartbeat, stopping=True):
                self._finish_batch(submitted.popleft())
        finally:
            for store in self.stores:
                store.close()
            self.client.stop(end_session=self._unsubscribed.is_set())

    def _submit(self, batch: list[tuple[str, bytes, float, int]]) -> list[tuple[StoreProcess | InlineStore, list[int]]]:
        """Hand each store its part of the batch: a device's messages always go to the same
        store (by topic), so two stores never wait for each other's lock on one van and
        each device's messages are stored in the order they came."""
        parts: list[list[tuple[str, bytes, float, int]]] = [[] for _ in self.stores]
        store_of = self._store_of
        for message in batch:
            topic = message[0]
            if topic not in store_of:  # topics dealt out in turn, so the stores share evenly
                store_of[topic] = len(store_of) % len(parts)
            parts[store_of[topic]].append(message)
        submitted = []
        for store, part in zip(self.stores, parts):
            if part:
                store.submit([message[:3] for message in part])
                submitted.append((store, [message[3] for message in part]))
        return submitted

    @property
    def unavailable(self) -> Unavailable | None:
        """Why storing waits, while the database cannot take a batch (disk full, gone):
        the batch is tried again with backoff, unacknowledged (hub.ingest.store_process)."""
        return next((store.unavailable for store in self.stores if store.unavailable), None)

    def _await(self, parts: list[tuple[StoreProcess | InlineStore, list[int]]],
               heartbeat: Callable[[], None] | None, stopping: bool = False) -> bool:
        """Wait until every store committed its part of this batch, beating meanwhile (the
        store may be waiting for the database); False when asked to stop first (stopping:
        when the database cannot take it)."""
        while not self._committed(parts):
            if self._stop.is_set() and (not stopping or self.unavailable):
                return False
            if heartbeat:
                heartbeat()
            waiting = next((store for store, _ in parts if not store.ready()), None)
            if waiting is not None:  # None: the last one committed since the check above
                waiting.ready(0.2)
        return True

    @staticmethod
    def _committed(parts: list[tuple[StoreProcess | InlineStore, list[int]]]) -> bool:
        """Whether every store has committed its part of this batch (the oldest in it)."""
        return bool(parts) and all(store.ready() for store, _ in parts)

    def _finish_batch(self, parts: list[tuple[StoreProcess | InlineStore, list[int]]]) -> None:
        for store, mids in parts:
            self._finish(store.result(), mids)

    def _retired(self, last_message: float, submitted: deque) -> bool:
        """Retiring, the session has delivered all it held: unsubscribed, every batch
        stored and acknowledged, and nothing more for `RETIRE_QUIET_S`."""
        return (self._unsubscribed.is_set() and not submitted and not self._inbox
                and time.monotonic() - last_message >= RETIRE_QUIET_S)

    def stop(self) -> None:
        self._stop.set()
