"""The hub's buffered paho client against a real mosquitto: every message arrives whole and
in order, when packets straddle its socket reads and a burst ends mid-buffer."""

from __future__ import annotations

import random
import threading

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from depotclock.mqtt_link import session_properties
from hub.ingest import buffered_client
from hub.ingest.buffered_client import BufferedClient

pytestmark = pytest.mark.broker
TOPIC = "depotclock/v1/vehicle/van-1/telemetry"


def test_every_message_arrives_whole_and_in_order(broker, monkeypatch):
    # Small reads and bursts, so packets straddle reads and bursts end with bytes buffered.
    monkeypatch.setattr(buffered_client._BufferedSocket, "CHUNK", 1000)
    monkeypatch.setattr(BufferedClient, "BURST", 7)
    sizes = random.Random(6).choices([1, 90, 127, 128, 999, 1000, 1001, 5000, 20000], k=600)
    sent = [bytes([n % 251]) * size for n, size in enumerate(sizes)]
    received: list[bytes] = []
    done, subscribed = threading.Event(), threading.Event()

    def on_message(client, userdata, message):
        received.append(message.payload)
        client.ack(message.mid, 1)
        if len(received) == len(sent):
            done.set()

    hub = BufferedClient(CallbackAPIVersion.VERSION2, client_id="hub-test", protocol=mqtt.MQTTv5,
                         manual_ack=True)
    hub.username_pw_set("hub", "hub-secret")
    hub.on_connect = lambda client, *_: client.subscribe(TOPIC, qos=1)
    hub.on_subscribe = lambda *_: subscribed.set()
    hub.on_message = on_message
    hub.connect("127.0.0.1", broker.port, properties=session_properties())
    hub.loop_start()
    van = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="van-1", protocol=mqtt.MQTTv5)
    van.username_pw_set("van-1", "v1-secret")
    van.max_inflight_messages_set(1000)
    van.connect("127.0.0.1", broker.port)
    van.loop_start()
    try:
        assert subscribed.wait(10)
        for info in [van.publish(TOPIC, payload, qos=1) for payload in sent]:
            info.wait_for_publish(30)
        assert done.wait(30), f"{len(received)} of {len(sent)} arrived"
    finally:
        for client in (van, hub):
            client.disconnect()
            client.loop_stop()
    assert received == sent
