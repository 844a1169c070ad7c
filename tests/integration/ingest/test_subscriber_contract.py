"""The hub's `Subscriber` contract, run against both implementations on a real mosquitto:
stock paho (`PahoSubscriber`) and the buffered fast path (`BufferedSubscriber`, expected
to fail on a paho it was not verified on, where the hub does not use it).

Every message arrives whole and in order (also when packets straddle the fast path's
socket reads and a burst ends mid-buffer); QoS 0 and 1, with and without properties,
arrive intact; a retained message arrives retained; what `ack_many` acknowledged is not
sent again on a resumed session and what it did not is (ack after commit); a QoS 0
message needs no ack; the subscriber publishes at QoS 1 and says when it cannot."""

from __future__ import annotations

import random
import threading

import paho.mqtt
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from depotclock.mqtt_url import BrokerAddress
from hub.ingest import buffered_client
from hub.ingest.buffered_client import BufferedClient, BufferedSubscriber, verified_on
from hub.ingest.subscriber import PahoSubscriber, Received, SessionEvents, Subscriber, SubscriberError
from tests.waiting import eventually

pytestmark = pytest.mark.broker
TOPIC = "depotclock/v1/vehicle/van-1/telemetry"
UNVERIFIED = pytest.mark.xfail(
    not verified_on(paho.mqtt.__version__), strict=False,
    reason=f"the fast path is not verified on paho-mqtt {paho.mqtt.__version__} (the hub uses stock paho)")


@pytest.fixture(params=[PahoSubscriber, pytest.param(BufferedSubscriber, marks=UNVERIFIED)],
                ids=["stock-paho", "buffered"])
def kind(request) -> type[PahoSubscriber]:
    return request.param


class Hub:
    """A subscriber to TOPIC as the consumer uses one: it subscribes on every connect and
    keeps what arrives; `ack_on_arrival`: acknowledges each message at once (the broker
    sends a session only so many unacknowledged messages)."""

    def __init__(self, kind: type[PahoSubscriber], broker, ack_on_arrival: bool = False):
        self.received: list[Received] = []
        self.connects = 0
        self._subscribed = threading.Event()
        self.subscriber: Subscriber = kind(BrokerAddress.from_url(broker.url("hub")), "hub-test", SessionEvents(
            connected=self._connected, subscribed=lambda refused: self._subscribed.set(),
            unsubscribed=lambda: None, message=self._arrived,
        ))
        self._ack_on_arrival = ack_on_arrival
        self.subscriber.start()
        assert self._subscribed.wait(10)

    def _arrived(self, message: Received) -> None:
        self.received.append(message)
        if self._ack_on_arrival:
            self.subscriber.ack_many([message.mid])

    def _connected(self) -> None:
        self.connects += 1
        self.subscriber.subscribe([TOPIC])

    def read_by_broker(self) -> None:
        """Wait until the broker has read all the hub sent so far (its acks): it answers a
        later QoS 1 publish on the same connection."""
        self.subscriber.client.publish("depotclock/v1/barrier", b"", qos=1).wait_for_publish(10)


def _van(broker) -> mqtt.Client:
    """A van's client with room for many messages in flight, its loop running."""
    van = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="van-1", protocol=mqtt.MQTTv5)
    van.username_pw_set("van-1", "v1-secret")
    van.max_inflight_messages_set(1000)
    van.connect("127.0.0.1", broker.port)
    van.loop_start()
    return van


def _properties(content_type: str | None, user: list[tuple[str, str]] | None = None) -> Properties | None:
    if content_type is None:
        return None
    properties = Properties(PacketTypes.PUBLISH)
    properties.ContentType = content_type
    if user:
        properties.UserProperty = user
    return properties


def _stop(van: mqtt.Client | None, *hubs: Hub) -> None:
    for hub in hubs:
        hub.subscriber.stop()
    if van is not None:
        van.disconnect()
        van.loop_stop()


def test_every_message_arrives_whole_and_in_order(kind, broker, monkeypatch):
    # Small reads and bursts, so packets straddle the fast path's reads and bursts end
    # with bytes buffered; every fifth message has a property, so paho's handling takes
    # turns with the fast path.
    monkeypatch.setattr(buffered_client._BufferedSocket, "CHUNK", 1000)
    monkeypatch.setattr(BufferedClient, "BURST", 7)
    sizes = random.Random(6).choices([1, 90, 127, 128, 999, 1000, 1001, 5000, 20000], k=600)
    sent = [(bytes([n % 251]) * size, f"type-{n}" if n % 5 == 0 else None) for n, size in enumerate(sizes)]
    hub, van = Hub(kind, broker, ack_on_arrival=True), _van(broker)
    try:
        for info in [van.publish(TOPIC, payload, qos=1, properties=_properties(content_type))
                     for payload, content_type in sent]:
            info.wait_for_publish(30)
        assert eventually(lambda: len(hub.received) == len(sent)), f"{len(hub.received)} of {len(sent)} arrived"
    finally:
        _stop(van, hub)
    assert [(m.payload, m.properties.get("ContentType")) for m in hub.received] == sent


def test_messages_at_qos_0_and_1_with_and_without_properties_arrive_intact(kind, broker):
    """Published at QoS 0, 1 or 2 to a QoS 1 subscription: delivered at QoS 0, 1, 1."""
    user = [("shift", "early"), ("depot", "north")]
    hub, van = Hub(kind, broker), _van(broker)
    expected = []
    try:
        for qos in (0, 1, 2):
            for with_properties in (False, True):
                payload = f"qos {qos} properties {with_properties}".encode()
                properties = _properties("application/json", user) if with_properties else None
                van.publish(TOPIC, payload, qos=qos, properties=properties).wait_for_publish(10)
                expected.append((TOPIC, payload, min(qos, 1), False,
                                 "application/json" if with_properties else None,
                                 user if with_properties else None))
        assert eventually(lambda: len(hub.received) == len(expected))
    finally:
        _stop(van, hub)
    received = [(m.topic, m.payload, m.qos, m.retain, m.properties.get("ContentType"),
                 m.properties.get("UserProperty")) for m in hub.received]
    assert sorted(received) == sorted(expected)
    assert all(m.mid == 0 for m in hub.received if m.qos == 0)


def test_a_retained_message_arrives_retained(kind, broker):
    van = _van(broker)
    van.publish(TOPIC, b"retained", qos=1, retain=True).wait_for_publish(10)
    hub = Hub(kind, broker)
    try:
        assert eventually(lambda: hub.received)
    finally:
        _stop(van, hub)
    assert [(m.payload, m.qos, m.retain) for m in hub.received] == [(b"retained", 1, True)]


def test_a_resumed_session_delivers_again_only_what_was_not_acknowledged(kind, broker):
    """Ack after commit: the hub acknowledges the first six (their batch committed) and
    goes away; the resumed session sends the other four again, marked dup, and nothing
    else."""
    sent = [f"reading {n}".encode() for n in range(10)]
    hub, van = Hub(kind, broker), _van(broker)
    try:
        for info in [van.publish(TOPIC, payload, qos=1) for payload in sent]:
            info.wait_for_publish(10)
        assert eventually(lambda: len(hub.received) == len(sent))
        hub.subscriber.ack_many([message.mid for message in hub.received[:6]])
        hub.read_by_broker()
    finally:
        _stop(None, hub)
    assert [message.payload for message in hub.received] == sent

    again = Hub(kind, broker)
    try:
        van.publish(TOPIC, b"after", qos=1).wait_for_publish(10)  # behind anything sent again
        assert eventually(lambda: again.received and again.received[-1].payload == b"after")
    finally:
        _stop(van, again)
    assert [(m.payload, m.dup) for m in again.received] == [(p, True) for p in sent[6:]] + [(b"after", False)]


def test_acknowledging_a_qos_0_message_is_harmless(kind, broker):
    """A QoS 0 message's id is 0 and needs no ack; a PUBACK for packet id 0 would be a
    protocol error that makes mosquitto drop the hub's connection (and with it the acks
    written after it)."""
    hub, van = Hub(kind, broker), _van(broker)
    try:
        van.publish(TOPIC, b"at most once", qos=0).wait_for_publish(10)
        van.publish(TOPIC, b"at least once", qos=1).wait_for_publish(10)
        assert eventually(lambda: len(hub.received) == 2)
        hub.subscriber.ack_many([message.mid for message in hub.received])
        hub.read_by_broker()
        assert hub.connects == 1 and hub.subscriber.is_connected()
    finally:
        _stop(None, hub)
    again = Hub(kind, broker)
    try:
        van.publish(TOPIC, b"after", qos=1).wait_for_publish(10)
        assert eventually(lambda: again.received)
    finally:
        _stop(van, again)
    assert [m.payload for m in again.received] == [b"after"]


def test_it_publishes_at_qos_1_and_says_when_it_cannot(kind, broker):
    roster_topic = "depotclock/v1/depot/north/roster"
    hub = Hub(kind, broker)
    kiosk = broker.client("kiosk-1")
    got: list[tuple[bytes, int, bool]] = []
    kiosk.on_message = lambda client, userdata, message: got.append((message.payload, message.qos, message.retain))
    try:
        hub.subscriber.publish(roster_topic, b"the roster", retain=True)
        hub.read_by_broker()  # and kept it, retained
        kiosk.subscribe(roster_topic, qos=1)
        assert eventually(lambda: got)
        with pytest.raises(SubscriberError, match="cannot publish to 'depotclock/v1/\\+/roster'"):
            hub.subscriber.publish("depotclock/v1/+/roster", b"a wildcard is no topic")
    finally:
        kiosk.disconnect()
        kiosk.loop_stop()
        _stop(None, hub)
    assert got == [(b"the roster", 1, True)]
