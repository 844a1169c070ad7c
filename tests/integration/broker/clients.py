"""MQTT clients for the broker tests: log in, and watch what the hub account receives."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

MARKER = "depotclock/v1/test/marker"
WAIT_S = 5


@dataclass
class Login:
    """A client's attempt to log in: connected, refused (with the broker's reason) or cut off."""

    client: mqtt.Client
    refused: str | None  # the CONNACK's reason when it is a failure
    dropped: bool = False  # the connection closed before any CONNACK (e.g. not TLS)

    @property
    def accepted(self) -> bool:
        return self.refused is None and not self.dropped

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def connect(port: int, username: str | None, password: str | None, ca: Path | None = None) -> Login:
    """Log in as `username` (anonymously when None); TLS when `ca` is given."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.reconnect_delay_set(60, 120)  # one attempt: a refused login must not be retried here
    if username is not None:
        client.username_pw_set(username, password)
    if ca is not None:
        client.tls_set(ca_certs=str(ca))
    outcome: dict[str, object] = {}
    done = threading.Event()

    def on_connect(client, userdata, flags, reason_code, properties):
        outcome["refused"] = str(reason_code) if reason_code.is_failure else None
        done.set()

    def on_disconnect(client, userdata, flags, reason_code, properties):
        outcome.setdefault("dropped", True)
        done.set()

    client.on_connect, client.on_disconnect = on_connect, on_disconnect
    client.connect("127.0.0.1", port)
    client.loop_start()
    assert done.wait(WAIT_S), "no CONNACK and no disconnect"
    login = Login(client, outcome.get("refused"), "refused" not in outcome)
    if not login.accepted:
        client.loop_stop()
    return login


def accepted(port: int, username: str, password: str, ca: Path | None = None) -> mqtt.Client:
    login = connect(port, username, password, ca)
    assert login.accepted, f"{username} was refused: {login.refused or 'connection dropped'}"
    return login.client


def topics_the_hub_receives(port: int, hub: tuple[str, str], publish: Callable[[], None]) -> list[str]:
    """Topics the hub account sees while `publish()` runs, up to a marker it sends itself.

    `publish` waits for each PUBACK, so the broker has routed (or dropped) every message
    before the marker, and the marker's arrival proves nothing else is on its way.
    """
    client = accepted(port, *hub)
    seen: list[str] = []
    subscribed, marker_seen = threading.Event(), threading.Event()

    def on_message(client, userdata, msg):
        if msg.topic == MARKER:
            marker_seen.set()
        else:
            seen.append(msg.topic)

    client.on_message = on_message
    client.on_subscribe = lambda *a: subscribed.set()
    client.subscribe("depotclock/v1/#", qos=1)
    assert subscribed.wait(WAIT_S)
    publish()
    client.publish(MARKER, b"x", qos=1)
    assert marker_seen.wait(WAIT_S)
    client.disconnect()
    client.loop_stop()
    return seen


def publish_all(client: mqtt.Client, topics: list[str]) -> dict[str, str]:
    """Publish `{}` on each topic at QoS 1, one after the other; each PUBACK's reason by topic."""
    reasons: dict[int, str] = {}
    client.on_publish = lambda client, userdata, mid, reason, properties: reasons.update({mid: str(reason)})
    mids = {}
    for topic in topics:
        info = client.publish(topic, b"{}", qos=1)
        info.wait_for_publish(WAIT_S)
        mids[topic] = info.mid
    return {topic: reasons[mid] for topic, mid in mids.items()}


def retained_on_subscribing(client: mqtt.Client, topic_filters: list[str]) -> list[tuple[str, bytes]]:
    """(topic, payload) of the retained messages `client` gets on subscribing to each filter.

    mosquitto handles one client's packets in order and sends a subscription's retained
    messages right after its SUBACK, so once a last (barrier) subscription is acknowledged,
    every retained message for the filters before it has arrived.
    """
    got: list[tuple[str, bytes]] = []
    acked: set[int] = set()
    suback = threading.Condition()

    def on_subscribe(client, userdata, mid, *rest):
        with suback:
            acked.add(mid)
            suback.notify_all()

    client.on_message = lambda client, userdata, msg: got.append((msg.topic, msg.payload))
    client.on_subscribe = on_subscribe
    for topic_filter in topic_filters:
        client.subscribe(topic_filter, qos=1)
    _, barrier = client.subscribe(MARKER, qos=1)
    with suback:
        assert suback.wait_for(lambda: barrier in acked, WAIT_S), "the barrier subscription was not acknowledged"
    return got
