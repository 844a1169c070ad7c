"""Garbage on every hub topic, through a real mosquitto into a real ingest, on SQLite and
PostgreSQL (issue 22): ingest stays up, every valid message is stored once, every other
one is a dead letter, and nothing is left waiting in the hub's broker session. The poison
messages the issue lists, which each crashed ingest again after every restart, are here
too."""

from __future__ import annotations

import itertools
import json
import threading
import uuid

import paho.mqtt.client as mqtt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import func, select

from depotclock.mqtt_url import BrokerAddress
from depotclock.wire.codec import encode
from depotclock.wire.messages import DeviceState, Fix, KioskStatus, Telemetry
from depotclock.wire.topics import kiosk_topic, vehicle_topic
from hub.ingest.consumer import IngestConsumer
from hub.ingest.store_batch import dead_letter_digest
from hub.store.engine import make_engine
from hub.store.models import DeadLetter, DeviceStatus, Punch, TelemetryEvent
from tests.integration.ingest.messages import T0, kiosk_status, punch
from tests.integration.ingest.test_poison_messages import POISON, _with
from tests.waiting import eventually

pytestmark = pytest.mark.broker

KIOSK_TOPICS = [kiosk_topic("kiosk-1", kind) for kind in ("punch", "unknown_badge", "status")]
VAN_TOPICS = [vehicle_topic("van-1", kind) for kind in ("telemetry", "status")]


def _telemetry(seq: int) -> tuple[str, bytes]:
    fix = Fix(id=uuid.uuid4(), seq=seq, at=T0, lat=41.9, lon=-87.6, speed_kmh=30.0)
    return vehicle_topic("van-1", "telemetry"), encode(Telemetry(id=uuid.uuid4(), device="van-1", seq=seq,
                                                                  at=T0, items=(fix,)))


class Hub:
    """An ingest process's consumer on its own thread, and the devices' clients."""

    def __init__(self, broker, database_url: str):
        self.broker, self.engine = broker, make_engine(database_url)
        self.consumer = IngestConsumer(BrokerAddress.from_url(broker.url("hub")), self.engine, batch_size=200)
        self.runner = threading.Thread(target=self.consumer.run, daemon=True)
        self.runner.start()
        assert self.consumer.subscribed.wait(30)
        self.devices = {name: broker.client(name) for name in ("kiosk-1", "van-1")}

    def publish(self, messages: list[tuple[str, bytes]]) -> None:
        for topic, payload in messages:
            device = "kiosk-1" if "/kiosk/" in topic else "van-1"
            self.devices[device].publish(topic, payload, qos=1).wait_for_publish(10)

    def count(self, model) -> int:
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(model))

    def backlog(self) -> int | None:
        """kiosk-1's backlog as its stored status says (each test's last status sets its own)."""
        with self.engine.connect() as connection:
            return connection.scalar(select(DeviceStatus.backlog).where(DeviceStatus.device_id == "kiosk-1"))

    def dead_letters_of(self, messages: set[tuple[str, bytes]]) -> int:
        digests = [dead_letter_digest(topic, payload) for topic, payload in messages]
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(DeadLetter).where(DeadLetter.digest.in_(digests)))

    def stop(self) -> None:
        for client in self.devices.values():
            client.disconnect()
            client.loop_stop()
        self.consumer.stop()
        self.runner.join(30)
        self.engine.dispose()

    def session_holds_nothing(self) -> bool:
        """Whether the hub's session on the broker held nothing but a marker sent after
        ingest stopped (the broker delivers a session's messages in order)."""
        marker = kiosk_status(T0, backlog=7)
        kiosk = self.broker.client("kiosk-1")
        kiosk.publish(*marker, qos=1).wait_for_publish(10)
        kiosk.disconnect()
        kiosk.loop_stop()
        received, done = [], threading.Event()
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="hub-ingest", protocol=mqtt.MQTTv5)
        client.username_pw_set("hub-ingest", self.broker.accounts["hub"].password)

        def on_message(client, userdata, message):
            received.append(message.payload)
            if message.payload == marker[1]:
                done.set()

        client.on_message = on_message
        client.connect("127.0.0.1", self.broker.port, clean_start=False)
        client.loop_start()
        try:
            assert done.wait(30), "the marker never came"
        finally:
            client.disconnect()
            client.loop_stop()
        return received == [marker[1]]


def _issue_poison() -> list[tuple[str, bytes]]:
    """Each message the issue lists, once (docs/protocol.md, limits)."""
    topic, payload = punch(99)
    messages = [(topic, make(payload)) for make in POISON.values()]
    status_topic, status = kiosk_status(T0, backlog=0)
    messages += [(status_topic, _with(status, backlog=2**31)), (status_topic, _with(status, backlog=2**40)),
                 (status_topic, _with(status, reader_error="reader\x00gone"))]
    unknown = {key: json.loads(payload)[key] for key in ("id", "device", "seq", "at", "badge", "clock")}
    unknown["badge"]["raw"] = "\x00"
    messages.append((kiosk_topic("kiosk-1", "unknown_badge"), json.dumps(unknown).encode()))
    telemetry_topic, batch = _telemetry(5)
    for seq in (2**31, 2**53 + 1, 2**63, 10**30):
        document = json.loads(batch)
        document["items"][0]["seq"] = seq
        messages.append((telemetry_topic, json.dumps(document).encode()))
    return messages


def test_the_issues_poison_messages_are_dead_letters_and_ingest_carries_on(broker, migrated_url):
    hub = Hub(broker, migrated_url)
    try:
        poison = _issue_poison()
        valid = [punch(n) for n in range(1, 11)] + [_telemetry(n) for n in range(1, 11)]
        mixed = [message for pair in zip(valid, poison) for message in pair] + valid[len(poison):]
        hub.publish(mixed)
        # A good status after the bad ones: the kiosk's statuses are not poisoned.
        hub.publish([kiosk_status(T0, backlog=3)])
        assert eventually(lambda: hub.count(DeadLetter) == len(poison) and hub.count(Punch) == 10
                          and hub.count(TelemetryEvent) == 10 and hub.backlog() == 3, timeout=60)
        assert hub.runner.is_alive()
    finally:
        hub.stop()
    assert hub.session_holds_nothing()


def _valid(index: int) -> tuple[str, bytes]:
    return punch(index) if index % 2 else _telemetry(index)


_backlogs = itertools.count(1000)
garbage = st.tuples(
    st.sampled_from(KIOSK_TOPICS + VAN_TOPICS),
    st.binary(max_size=300) | st.sampled_from([p for _, p in _issue_poison()]) | st.just(b""),
)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(mix=st.lists(st.tuples(st.booleans(), garbage), min_size=10, max_size=60))
def test_arbitrary_bytes_on_every_hub_topic_among_valid_traffic(make_broker, migrated_url, mix):
    broker = make_broker()  # a broker of its own per example: its session checked empty
    hub = Hub(broker, migrated_url)
    before = hub.count(Punch) + hub.count(TelemetryEvent)
    try:
        messages, valid = [], 0
        for index, (is_valid, bad) in enumerate(mix, start=1):
            if is_valid:
                messages.append(_valid(index))
                valid += 1
            else:
                messages.append(bad)
        bad = {message for (is_valid, _), message in zip(mix, messages) if not is_valid}
        # A valid status last, its backlog this example's own: once it is stored, so is the rest.
        marker = next(_backlogs)
        status = encode(KioskStatus(id=uuid.uuid4(), device="kiosk-1", seq=1, at=T0, state=DeviceState.ONLINE,
                                    backlog=marker))
        hub.publish([*messages, (kiosk_topic("kiosk-1", "status"), status)])
        assert eventually(lambda: hub.count(Punch) + hub.count(TelemetryEvent) == before + valid
                          and hub.dead_letters_of(bad) == len(bad) and hub.backlog() == marker, timeout=60)
        assert hub.runner.is_alive()
    finally:
        hub.stop()
    assert hub.session_holds_nothing()
