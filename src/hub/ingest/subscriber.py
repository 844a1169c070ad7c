"""The hub's side of the broker, behind an interface of ours: a persistent MQTT 5 session
that receives at QoS 1, acknowledges only what the caller says it has kept, and publishes
rosters and receipts (the way mqtt-io puts MQTT behind its own client class).

Two implementations keep the same contract (tests/integration/ingest/
test_subscriber_contract.py runs against both on a real mosquitto): `PahoSubscriber` on
stock paho, and the fast path `hub.ingest.buffered_client.BufferedSubscriber`, which
leans on paho's internals and is therefore used only on the paho versions it was
verified on (`hub.ingest.buffered_client.verified_on`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

import paho.mqtt.client as mqtt
from paho.mqtt.enums import MQTTErrorCode

from depotclock.errors import DepotClockError
from depotclock.mqtt_client import connect_in_background, make_client, session_end, session_properties
from depotclock.mqtt_url import BrokerAddress

log = logging.getLogger(__name__)
NO_PROPERTIES: Mapping[str, object] = MappingProxyType({})
FINE = (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_NO_CONN)  # not connected: sent on reconnect


class SubscriberError(DepotClockError):
    """The client refused a request (a topic it cannot publish to, a full queue); the
    message says which."""


class Received:
    """A message as the broker delivered it. `mid` is what `ack_many` takes (0 for a QoS 0
    message, which needs no acknowledgement); `properties` are its MQTT 5 properties by
    name, as paho's `Properties.json()` gives them."""

    __slots__ = ("topic", "payload", "mid", "qos", "retain", "dup", "properties")

    def __init__(self, topic: str, payload: bytes, mid: int, qos: int = 1, retain: bool = False,
                 dup: bool = False, properties: Mapping[str, object] = NO_PROPERTIES):
        self.topic, self.payload, self.mid, self.qos = topic, payload, mid, qos
        self.retain, self.dup, self.properties = retain, dup, properties

    @classmethod
    def from_paho(cls, message: mqtt.MQTTMessage) -> Received:
        properties = getattr(message, "properties", None)
        return cls(message.topic, bytes(message.payload), message.mid, message.qos,
                   bool(message.retain), bool(message.dup),
                   MappingProxyType(properties.json()) if properties is not None else NO_PROPERTIES)


@dataclass(frozen=True)
class SessionEvents:
    """What a subscriber reports, each on its network thread."""

    connected: Callable[[], None]  # the session is (re)established: subscribe now
    subscribed: Callable[[list[str]], None]  # the broker's answer: the refusals, if any
    unsubscribed: Callable[[], None]
    message: Callable[[Received], None]


class Subscriber(Protocol):
    """A persistent session with the broker, reconnecting by itself once started."""

    client_id: str

    def start(self) -> None:
        """Connect now if the broker answers (else log why not), and keep the session
        from a network thread, reconnecting whenever it is lost."""

    def is_connected(self) -> bool: ...

    def subscribe(self, filters: Sequence[str]) -> None:
        """Subscribe at QoS 1; `SessionEvents.subscribed` gives the broker's answer."""

    def unsubscribe(self, filters: Sequence[str]) -> None: ...

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        """Publish at QoS 1: sent now, or once connected again."""

    def ack_many(self, mids: Iterable[int]) -> None:
        """Acknowledge these received messages: the broker will not send them again. Until
        then a resumed session delivers them again."""

    def stop(self, end_session: bool = False) -> None:
        """Disconnect; `end_session`: the broker forgets the session and what it holds."""


class PahoSubscriber:
    """The `Subscriber` on stock paho: every PUBLISH read and every PUBACK written by paho,
    one at a time."""

    kind: type[mqtt.Client] = mqtt.Client

    def __init__(self, address: BrokerAddress, client_id: str, events: SessionEvents,
                 max_inflight: int = 1000):
        self.address, self.client_id, self.events = address, client_id, events
        self.client = make_client(address, client_id, manual_ack=True, max_inflight=max_inflight,
                                  kind=self.kind)
        self.client.on_connect = self._connected
        self.client.on_subscribe = self._subscribed
        self.client.on_unsubscribe = self._unsubscribed
        self.client.on_message = self._message

    def start(self) -> None:
        try:
            self.client.connect(self.address.host, self.address.port, clean_start=False,
                                properties=session_properties())
        except OSError as exc:  # refused, unreachable, or its TLS certificate not trusted
            log.error("cannot connect to the broker at %s:%d: %s; trying again in the background",
                      self.address.host, self.address.port, exc)
            connect_in_background(self.client, self.address)
            return
        self.client.loop_start()

    def is_connected(self) -> bool:
        return self.client.is_connected()

    def subscribe(self, filters: Sequence[str]) -> None:
        self._check(self.client.subscribe([(f, 1) for f in filters])[0], "subscribe")

    def unsubscribe(self, filters: Sequence[str]) -> None:
        self._check(self.client.unsubscribe(list(filters))[0], "unsubscribe")

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        try:
            info = self.client.publish(topic, payload, qos=1, retain=retain)
        except ValueError as exc:  # a topic or payload MQTT does not allow
            raise SubscriberError(f"cannot publish to {topic!r}: {exc}") from None
        self._check(info.rc, f"publish to {topic!r}")

    def ack_many(self, mids: Iterable[int]) -> None:
        for mid in mids:
            if mid:
                self._check(self.client.ack(mid, 1), "acknowledge")

    def stop(self, end_session: bool = False) -> None:
        self.client.disconnect(properties=session_end() if end_session else None)
        self.client.loop_stop()

    @staticmethod
    def _check(rc: int, what: str) -> None:
        if rc not in FINE:
            raise SubscriberError(f"MQTT client cannot {what}: {mqtt.error_string(rc)}")

    def _connected(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            log.error("broker refused the hub: %s", reason_code)
            return
        self.events.connected()

    def _subscribed(self, client, userdata, mid, reason_codes, properties) -> None:
        self.events.subscribed([str(code) for code in reason_codes if code.is_failure])

    def _unsubscribed(self, client, userdata, mid, reason_codes, properties) -> None:
        self.events.unsubscribed()

    def _message(self, client, userdata, message: mqtt.MQTTMessage) -> None:
        self.events.message(Received.from_paho(message))
