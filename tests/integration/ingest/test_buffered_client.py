"""The buffered paho client's own ways, beyond the `Subscriber` contract
(test_subscriber_contract.py): QoS 2 messages (paho's handling) arrive intact, messages
for per-topic callbacks go to them, and without manual acks each burst's messages are
acknowledged for real (the bench's drain)."""

from __future__ import annotations

import threading
import time

import paho.mqtt.client as mqtt
import pytest

from depotclock.mqtt_client import make_client, session_properties
from depotclock.mqtt_url import BrokerAddress
from hub.ingest.buffered_client import BufferedClient
from tests.waiting import eventually

pytestmark = pytest.mark.broker
TOPIC = "depotclock/v1/vehicle/van-1/telemetry"


def _hub(broker, on_message, clean_start: bool = True, manual_ack: bool = True) -> mqtt.Client:
    """The buffered client (a persistent session) subscribed to TOPIC at QoS 2, its loop
    running."""
    subscribed = threading.Event()
    hub = make_client(BrokerAddress.from_url(broker.url("hub")), "hub-test", manual_ack=manual_ack,
                      kind=BufferedClient)
    hub.on_connect = lambda client, *_: client.subscribe(TOPIC, qos=2)
    hub.on_subscribe = lambda *_: subscribed.set()
    hub.on_message = on_message
    hub.connect("127.0.0.1", broker.port, clean_start=clean_start, properties=session_properties())
    hub.loop_start()
    assert subscribed.wait(10)
    return hub


def _van(broker) -> mqtt.Client:
    return make_client(BrokerAddress.from_url(broker.url("van-1")), "van-1", max_inflight=1000)


def _stop(*clients: mqtt.Client) -> None:
    for client in clients:
        client.disconnect()
        client.loop_stop()


def _started(client: mqtt.Client, broker) -> mqtt.Client:
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    return client


def test_qos_2_messages_arrive_intact(broker):
    received = []

    def on_message(client, userdata, message):
        received.append((message.payload, message.qos))
        client.ack(message.mid, message.qos)

    hub, van = _hub(broker, on_message), _started(_van(broker), broker)
    try:
        for n in range(5):
            van.publish(TOPIC, f"exactly once {n}".encode(), qos=2).wait_for_publish(10)
        assert eventually(lambda: len(received) == 5)
    finally:
        _stop(van, hub)
    assert received == [(f"exactly once {n}".encode(), 2) for n in range(5)]


def test_a_per_topic_callback_gets_its_messages(broker):
    on_topic, on_message = [], []
    hub = _hub(broker, lambda client, userdata, message: on_message.append(message.payload))
    hub.message_callback_add(TOPIC, lambda client, userdata, message: on_topic.append(message.payload))
    van = _started(_van(broker), broker)
    try:
        van.publish(TOPIC, b"for the topic's callback", qos=1).wait_for_publish(10)
        assert eventually(lambda: on_topic)
    finally:
        _stop(van, hub)
    assert (on_topic, on_message) == ([b"for the topic's callback"], [])


def test_automatic_acks_reach_the_broker(broker):
    """Without manual acks, each burst's messages are acknowledged when it ends: the
    resumed session has nothing to send again."""
    received = []
    hub = _hub(broker, lambda client, userdata, message: received.append(message), manual_ack=False)
    van = _started(_van(broker), broker)
    try:
        for info in [van.publish(TOPIC, f"reading {n}".encode(), qos=1) for n in range(10)]:
            info.wait_for_publish(10)
        assert eventually(lambda: len(received) == 10)
        time.sleep(0.2)  # the last burst ends and queues its acks
        hub.publish("depotclock/v1/barrier", b"", qos=1).wait_for_publish(10)  # the broker read them
    finally:
        _stop(hub)

    again = []
    hub = _hub(broker, lambda client, userdata, message: again.append(message.payload), clean_start=False)
    try:
        van.publish(TOPIC, b"after", qos=1).wait_for_publish(10)  # behind anything sent again
        assert eventually(lambda: again)
    finally:
        _stop(van, hub)
    assert again == [b"after"]
