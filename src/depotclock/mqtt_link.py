"""One device's connection to the broker: MQTT 5, persistent session, retained status
with a Last Will, reconnecting forever. Kiosks and van units both use it."""

from __future__ import annotations

import logging
import threading
from typing import Callable

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from depotclock.mqtt_url import BrokerAddress

log = logging.getLogger(__name__)
SESSION_EXPIRY_S = 7 * 24 * 3600  # queued QoS 1 messages survive a week away

Handler = Callable[[str, bytes], None]


def make_client(address: BrokerAddress, client_id: str, will: tuple[str, bytes] | None) -> mqtt.Client:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    if address.username:
        client.username_pw_set(address.username, address.password)
    if address.tls:
        client.tls_set()
    if will is not None:
        client.will_set(will[0], will[1], qos=1, retain=True)
    client.reconnect_delay_set(min_delay=1, max_delay=30)
    return client


def session_properties() -> Properties:
    properties = Properties(PacketTypes.CONNECT)
    properties.SessionExpiryInterval = SESSION_EXPIRY_S
    return properties


class BrokerLink:
    """Connects in the background and keeps reconnecting; on every connect it publishes
    the device's retained `online` status and (re)subscribes."""

    def __init__(
        self,
        address: BrokerAddress,
        client_id: str,
        status: Callable[[bool], tuple[str, bytes]],
        subscriptions: dict[str, Handler] | None = None,
    ):
        self._status = status
        self._subscriptions = subscriptions or {}
        self.client = make_client(address, client_id, will=status(False))
        self.address = address
        self.connected = threading.Event()
        self.on_publish: Callable[[int, bool, str], None] | None = None
        self.on_connected: Callable[[], None] | None = None
        self.client.on_connect = self._connected
        self.client.on_disconnect = self._disconnected
        self.client.on_message = self._message
        self.client.on_publish = self._published

    def start(self) -> None:
        self.client.connect_async(
            self.address.host, self.address.port, clean_start=False, properties=session_properties()
        )
        self.client.loop_start()

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> int:
        """Publish at QoS 1; returns the message id whose PUBACK `on_publish` reports."""
        return self.client.publish(topic, payload, qos=1, retain=retain).mid

    def publish_status(self) -> None:
        """Publish the device's retained status now (it also goes out on every connect)."""
        topic, payload = self._status(True)
        self.client.publish(topic, payload, qos=1, retain=True)

    def close(self) -> None:
        if self.connected.is_set():
            topic, payload = self._status(False)
            self.client.publish(topic, payload, qos=1, retain=True).wait_for_publish(5)
        self.client.disconnect()
        self.client.loop_stop()

    def _connected(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            log.error("broker refused the connection: %s", reason_code)
            return
        for topic_filter in self._subscriptions:
            client.subscribe(topic_filter, qos=1)
        topic, payload = self._status(True)
        client.publish(topic, payload, qos=1, retain=True)
        self.connected.set()
        if self.on_connected:
            self.on_connected()

    def _disconnected(self, client, userdata, flags, reason_code, properties) -> None:
        self.connected.clear()

    def _message(self, client, userdata, message) -> None:
        for topic_filter, handler in self._subscriptions.items():
            if mqtt.topic_matches_sub(topic_filter, message.topic):
                handler(message.topic, message.payload)

    def _published(self, client, userdata, mid, reason_code, properties) -> None:
        if self.on_publish:
            self.on_publish(mid, not reason_code.is_failure, str(reason_code))
