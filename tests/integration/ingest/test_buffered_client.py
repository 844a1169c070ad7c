"""The hub's buffered paho client against a real mosquitto: every message arrives whole and
in order, when packets straddle its socket reads and a burst ends mid-buffer; messages
with properties, at QoS 0 and 2, or for per-topic callbacks (paho's own handling) arrive
as intact as the plain QoS 1 ones it decodes itself; `ack_many` acknowledges for real."""

from __future__ import annotations

import random
import threading
import time

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from depotclock.mqtt_link import session_properties
from hub.ingest import buffered_client
from hub.ingest.buffered_client import BufferedClient, ReceivedMessage

pytestmark = pytest.mark.broker
TOPIC = "depotclock/v1/vehicle/van-1/telemetry"


def _hub(broker, on_message, clean_start: bool = True, manual_ack: bool = True) -> BufferedClient:
    """The hub's client (a persistent session) subscribed to TOPIC at QoS 2, its loop
    running."""
    subscribed = threading.Event()
    hub = BufferedClient(CallbackAPIVersion.VERSION2, client_id="hub-test", protocol=mqtt.MQTTv5,
                         manual_ack=manual_ack)
    hub.username_pw_set("hub", "hub-secret")
    hub.on_connect = lambda client, *_: client.subscribe(TOPIC, qos=2)
    hub.on_subscribe = lambda *_: subscribed.set()
    hub.on_message = on_message
    hub.connect("127.0.0.1", broker.port, clean_start=clean_start, properties=session_properties())
    hub.loop_start()
    assert subscribed.wait(10)
    return hub


def _van(broker) -> mqtt.Client:
    """A van's client with room for many messages in flight, its loop running."""
    van = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="van-1", protocol=mqtt.MQTTv5)
    van.username_pw_set("van-1", "v1-secret")
    van.max_inflight_messages_set(1000)
    van.connect("127.0.0.1", broker.port)
    van.loop_start()
    return van


def _content_type(content_type: str | None) -> Properties | None:
    if content_type is None:
        return None
    properties = Properties(PacketTypes.PUBLISH)
    properties.ContentType = content_type
    return properties


def _stop(*clients: mqtt.Client) -> None:
    for client in clients:
        client.disconnect()
        client.loop_stop()


def _read_by_broker(client: mqtt.Client) -> None:
    """Wait until the broker has read all `client` sent so far: it answers a later QoS 1
    publish (mosquitto may drop what it has not read yet when a client disconnects)."""
    client.publish("depotclock/v1/barrier", b"", qos=1).wait_for_publish(10)


def _wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_every_message_arrives_whole_and_in_order(broker, monkeypatch):
    # Small reads and bursts, so packets straddle reads and bursts end with bytes buffered;
    # every fifth message has a property, so paho's handling takes turns with the fast path.
    monkeypatch.setattr(buffered_client._BufferedSocket, "CHUNK", 1000)
    monkeypatch.setattr(BufferedClient, "BURST", 7)
    sizes = random.Random(6).choices([1, 90, 127, 128, 999, 1000, 1001, 5000, 20000], k=600)
    sent = [(bytes([n % 251]) * size, f"type-{n}" if n % 5 == 0 else None)
            for n, size in enumerate(sizes)]
    received: list[tuple[bytes, str | None]] = []

    def on_message(client, userdata, message):
        received.append((message.payload, getattr(message.properties, "ContentType", None)))
        client.ack(message.mid, 1)

    hub, van = _hub(broker, on_message), _van(broker)
    try:
        for info in [van.publish(TOPIC, payload, qos=1, properties=_content_type(content_type))
                     for payload, content_type in sent]:
            info.wait_for_publish(30)
        assert _wait_for(lambda: len(received) == len(sent), 30), f"{len(received)} of {len(sent)} arrived"
    finally:
        _stop(van, hub)
    assert received == sent


def test_messages_at_every_qos_with_and_without_properties_arrive_intact(broker):
    received = []

    def on_message(client, userdata, message):
        properties = message.properties
        received.append((message.topic, message.payload, message.qos, message.retain,
                         getattr(properties, "ContentType", None), getattr(properties, "UserProperty", None)))
        client.ack(message.mid, message.qos)

    hub, van = _hub(broker, on_message), _van(broker)
    expected = []
    try:
        for qos in (0, 1, 2):
            for with_properties in (False, True):
                payload = f"qos {qos} properties {with_properties}".encode()
                properties = None
                if with_properties:
                    properties = _content_type("application/json")
                    properties.UserProperty = [("shift", "early"), ("depot", "north")]
                van.publish(TOPIC, payload, qos=qos, properties=properties).wait_for_publish(10)
                expected.append((TOPIC, payload, qos, False,
                                 "application/json" if with_properties else None,
                                 [("shift", "early"), ("depot", "north")] if with_properties else None))
        assert _wait_for(lambda: len(received) == len(expected))
    finally:
        _stop(van, hub)
    assert sorted(received) == sorted(expected)


def test_a_retained_message_arrives_retained(broker):
    van = _van(broker)
    van.publish(TOPIC, b"retained", qos=1, retain=True).wait_for_publish(10)
    received = []

    def on_message(client, userdata, message):
        received.append((message.payload, message.qos, message.retain))
        client.ack(message.mid, message.qos)

    hub = _hub(broker, on_message)
    try:
        assert _wait_for(lambda: received)
    finally:
        _stop(van, hub)
    assert received == [(b"retained", 1, True)]


def test_a_per_topic_callback_gets_its_messages(broker):
    on_topic, on_message = [], []
    hub = _hub(broker, lambda client, userdata, message: on_message.append(message.payload))
    hub.message_callback_add(TOPIC, lambda client, userdata, message: on_topic.append(message.payload))
    van = _van(broker)
    try:
        van.publish(TOPIC, b"for the topic's callback", qos=1).wait_for_publish(10)
        assert _wait_for(lambda: on_topic)
    finally:
        _stop(van, hub)
    assert (on_topic, on_message) == ([b"for the topic's callback"], [])


def test_ack_many_acknowledges_to_the_broker(broker):
    """The session is resumed: the broker sends again only what `ack_many` did not ack."""
    sent = [f"reading {n}".encode() for n in range(10)]
    received: list[ReceivedMessage] = []
    hub, van = _hub(broker, lambda client, userdata, message: received.append(message)), _van(broker)
    try:
        for info in [van.publish(TOPIC, payload, qos=1) for payload in sent]:
            info.wait_for_publish(10)
        assert _wait_for(lambda: len(received) == len(sent))
        hub.ack_many([message.mid for message in received[:6]])
        _read_by_broker(hub)
    finally:
        _stop(hub)
    assert [message.payload for message in received] == sent

    again: list[ReceivedMessage] = []
    hub = _hub(broker, lambda client, userdata, message: again.append(message), clean_start=False)
    try:
        assert _wait_for(lambda: len(again) == 4)
        time.sleep(1)  # nothing more comes
    finally:
        _stop(van, hub)
    assert [(message.payload, message.dup) for message in again] == [(payload, True) for payload in sent[6:]]


def test_automatic_acks_reach_the_broker(broker):
    """Without manual acks, each burst's messages are acknowledged when it ends: the
    resumed session has nothing to send again."""
    received: list[ReceivedMessage] = []
    hub = _hub(broker, lambda client, userdata, message: received.append(message), manual_ack=False)
    van = _van(broker)
    try:
        for info in [van.publish(TOPIC, f"reading {n}".encode(), qos=1) for n in range(10)]:
            info.wait_for_publish(10)
        assert _wait_for(lambda: len(received) == 10)
        time.sleep(0.2)  # the last burst ends and queues its acks
        _read_by_broker(hub)
    finally:
        _stop(hub)

    again: list[ReceivedMessage] = []
    hub = _hub(broker, lambda client, userdata, message: again.append(message), clean_start=False)
    try:
        time.sleep(1)
    finally:
        _stop(van, hub)
    assert again == []
