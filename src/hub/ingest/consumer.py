"""The hub's MQTT consumer: a persistent MQTT 5 session, optionally a shared subscription.

Messages are acknowledged only after the batch they came in is committed: if the
process dies first, the broker delivers them again and the store keeps each once.
"""

from __future__ import annotations

import logging
import queue
import threading
from datetime import datetime, timezone

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import Engine

from depotclock.mqtt_link import session_properties
from depotclock.mqtt_url import BrokerAddress
from hub.ingest.store_batch import BatchOutcome, Received, store_batch
from wire.topics import HUB_SUBSCRIPTIONS

log = logging.getLogger(__name__)
READY = "ingest ready"  # logged once the subscriptions are in place


def subscriptions(shared_group: str | None) -> list[str]:
    return [f"$share/{shared_group}/{t}" if shared_group else t for t in HUB_SUBSCRIPTIONS]


class IngestConsumer:
    def __init__(
        self,
        address: BrokerAddress,
        engine: Engine,
        client_id: str = "hub-ingest",
        shared_group: str | None = None,
        batch_size: int = 500,
        batch_wait_s: float = 0.05,
    ):
        self.engine, self.batch_size, self.batch_wait_s = engine, batch_size, batch_wait_s
        self.totals = BatchOutcome()
        self._inbox: queue.Queue[tuple[Received, int]] = queue.Queue()
        self._stop = threading.Event()
        self._filters = subscriptions(shared_group)
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5, manual_ack=True
        )
        if address.username:
            self.client.username_pw_set(address.username, address.password)
        if address.tls:
            self.client.tls_set()
        self.client.reconnect_delay_set(1, 30)
        self.client.max_inflight_messages_set(1000)
        self.client.on_connect = self._connected
        self.client.on_subscribe = self._subscribed
        self.client.on_message = self._message
        self.address = address

    def _connected(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            log.error("broker refused the hub: %s", reason_code)
            return
        client.subscribe([(f, 1) for f in self._filters])

    def _subscribed(self, client, userdata, mid, reason_codes, properties) -> None:
        refused = [str(code) for code in reason_codes if code.is_failure]
        if refused:
            log.error("broker refused subscriptions: %s", ", ".join(refused))
        else:
            log.info("%s: subscribed to %s", READY, ", ".join(self._filters))

    def _message(self, client, userdata, message) -> None:
        received = Received(message.topic, message.payload, datetime.now(timezone.utc))
        self._inbox.put((received, message.mid))

    def _take_batch(self) -> list[tuple[Received, int]]:
        try:
            batch = [self._inbox.get(timeout=0.2)]
        except queue.Empty:
            return []
        while len(batch) < self.batch_size:
            try:
                batch.append(self._inbox.get(timeout=self.batch_wait_s))
            except queue.Empty:
                break
        return batch

    def run(self) -> None:
        """Until `stop()`: store what arrives, batch by batch, acknowledging after commit."""
        self.client.connect_async(
            self.address.host, self.address.port, clean_start=False, properties=session_properties()
        )
        self.client.loop_start()
        try:
            while not self._stop.is_set():
                batch = self._take_batch()
                if not batch:
                    continue
                outcome = store_batch(self.engine, [received for received, _ in batch])
                for _, mid in batch:
                    self.client.ack(mid, 1)
                self.totals.stored += outcome.stored
                self.totals.duplicates += outcome.duplicates
                self.totals.dead_letters += outcome.dead_letters
                for reason in outcome.reasons:
                    log.warning("dead letter: %s", reason)
        finally:
            self.client.disconnect()
            self.client.loop_stop()

    def stop(self) -> None:
        self._stop.set()
