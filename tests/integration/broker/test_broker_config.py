"""The generated mosquitto config against a real mosquitto: no anonymous access, each
device confined to its own topics."""

from __future__ import annotations

import threading

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from hub.broker_config import BrokerAccount, BrokerConfigError, acl_text
from wire.topics import kiosk_topic, roster_topic, vehicle_topic

MARKER = "depotclock/v1/test/marker"


def _connect(port: int, username: str | None, password: str | None) -> tuple[mqtt.Client, object]:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    if username:
        client.username_pw_set(username, password)
    result: dict[str, object] = {}
    done = threading.Event()

    def on_connect(client, userdata, flags, reason_code, properties):
        result["rc"] = reason_code
        done.set()

    client.on_connect = on_connect
    client.connect("127.0.0.1", port)
    client.loop_start()
    assert done.wait(5), "no CONNACK"
    return client, result["rc"]


def _received(broker, publish) -> list[str]:
    """Topics the hub account sees while `publish()` runs, up to a marker it sends itself."""
    hub, _ = _connect(broker.port, "hub", "hub-secret")
    seen: list[str] = []
    subscribed, marker_seen = threading.Event(), threading.Event()

    def on_message(client, userdata, msg):
        if msg.topic == MARKER:
            marker_seen.set()
        else:
            seen.append(msg.topic)

    hub.on_message = on_message
    hub.on_subscribe = lambda *a: subscribed.set()
    hub.subscribe("depotclock/v1/#", qos=1)
    assert subscribed.wait(5)
    publish()  # each publish waits for its PUBACK: routed (or refused) before the marker
    hub.publish(MARKER, b"x", qos=1)
    assert marker_seen.wait(5)
    hub.disconnect()
    return seen


@pytest.mark.broker
def test_anonymous_and_wrong_password_are_refused(broker):
    _, rc = _connect(broker.port, None, None)
    assert rc.is_failure
    _, rc = _connect(broker.port, "kiosk-1", "wrong")
    assert rc.is_failure
    client, rc = _connect(broker.port, "kiosk-1", "k1-secret")
    assert not rc.is_failure
    client.disconnect()


@pytest.mark.broker
def test_kiosk_publishes_only_as_itself(broker):
    kiosk, _ = _connect(broker.port, "kiosk-1", "k1-secret")

    def publish():
        for topic in (
            kiosk_topic("kiosk-1", "punch"),
            kiosk_topic("kiosk-2", "punch"),
            vehicle_topic("van-1", "telemetry"),
            roster_topic("north"),
        ):
            kiosk.publish(topic, b"{}", qos=1).wait_for_publish(5)

    assert _received(broker, publish) == [kiosk_topic("kiosk-1", "punch")]
    kiosk.disconnect()


@pytest.mark.broker
def test_kiosk_reads_only_its_own_depot_roster(broker):
    hub, _ = _connect(broker.port, "hub", "hub-secret")
    for depot in ("north", "south"):
        hub.publish(roster_topic(depot), depot.encode(), qos=1, retain=True).wait_for_publish(5)
    kiosk, _ = _connect(broker.port, "kiosk-1", "k1-secret")
    got: list[bytes] = []
    arrived = threading.Event()

    def on_message(client, userdata, msg):
        got.append(msg.payload)
        arrived.set()

    kiosk.on_message = on_message
    kiosk.subscribe("depotclock/v1/depot/+/roster", qos=1)
    assert arrived.wait(5)
    arrived.clear()
    arrived.wait(0.5)  # give a forbidden retained roster the chance to arrive too
    assert got == [b"north"]
    for client in (hub, kiosk):
        client.disconnect()


def test_a_kiosk_account_needs_a_depot():
    with pytest.raises(BrokerConfigError, match="needs a depot"):
        acl_text([BrokerAccount("kiosk-9", "pw", "kiosk")])
