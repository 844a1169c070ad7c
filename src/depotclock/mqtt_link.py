"""One device's connection to the broker: MQTT 5, persistent session, retained status
with a Last Will, reconnecting forever. Kiosks and van units both use it.

The will is set again before every (re)connect: an `offline` status marked `lost`, with
the instant of that connection (`connected_at`), which every status sent over it carries
too. The hub dates a will by its arrival (the device cannot know when its connection
dies) and ignores one that comes from a connection older than the status it holds."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

import paho.mqtt.client as mqtt

from depotclock.mqtt_client import connect_in_background, make_client
from depotclock.mqtt_url import BrokerAddress
from depotclock.wire.codec import encode
from depotclock.wire.messages import KioskStatus, LinkStatus, VehicleStatus
from depotclock.wire.topics import kiosk_topic, vehicle_topic

log = logging.getLogger(__name__)

Handler = Callable[[str, bytes], None]
StatusBuilder = Callable[[bool], KioskStatus | VehicleStatus]  # online or not -> the device's status now


def status_topic(status: LinkStatus) -> str:
    if isinstance(status, KioskStatus):
        return kiosk_topic(status.device, "status")
    return vehicle_topic(status.device, "status")


class BrokerLink:
    """Connects in the background and keeps reconnecting; before every connect it sets
    the Last Will, on every connect it publishes the device's retained `online` status and
    (re)subscribes."""

    def __init__(
        self,
        address: BrokerAddress,
        client_id: str,
        status: StatusBuilder,
        subscriptions: dict[str, Handler] | None = None,
    ):
        self._status = status
        self._subscriptions = subscriptions or {}
        self.client = make_client(address, client_id)
        self.address = address
        self.connected_at: datetime | None = None  # of the connection the will stands for
        self._closing = False
        self.connected = threading.Event()
        self.on_publish: Callable[[int, bool, str], None] | None = None
        self.on_connected: Callable[[], None] | None = None
        self.client.on_connect = self._connected
        self.client.on_disconnect = self._disconnected
        self.client.on_message = self._message
        self.client.on_publish = self._published

    def start(self) -> None:
        self._set_will()
        connect_in_background(self.client, self.address)

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> int:
        """Publish at QoS 1; returns the message id whose PUBACK `on_publish` reports."""
        return self.client.publish(topic, payload, qos=1, retain=retain).mid

    def publish_status(self) -> None:
        """Publish the device's retained status now (it also goes out on every connect)."""
        self._publish_status(True)

    def close(self) -> None:
        self._closing = True
        if self.connected.is_set():
            self._publish_status(False).wait_for_publish(5)
        self.client.disconnect()
        self.client.loop_stop()

    def _set_will(self) -> None:
        """The will for the next connection: paho sends it in the CONNECT packet."""
        will = self._status(False)
        self.connected_at = will.at
        will = will.model_copy(update={"connected_at": will.at, "lost": True})
        self.client.will_set(status_topic(will), encode(will), qos=1, retain=True)

    def _publish_status(self, online: bool) -> mqtt.MQTTMessageInfo:
        status = self._status(online).model_copy(update={"connected_at": self.connected_at})
        return self.client.publish(status_topic(status), encode(status), qos=1, retain=True)

    def _connected(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            log.error("broker refused the connection: %s", reason_code)
            return
        for topic_filter in self._subscriptions:
            client.subscribe(topic_filter, qos=1)
        self._publish_status(True)
        self.connected.set()
        if self.on_connected:
            self.on_connected()

    def _disconnected(self, client, userdata, flags, reason_code, properties) -> None:
        self.connected.clear()
        if not self._closing:
            self._set_will()  # paho reconnects after this callback returns

    def _message(self, client, userdata, message) -> None:
        for topic_filter, handler in self._subscriptions.items():
            if mqtt.topic_matches_sub(topic_filter, message.topic):
                handler(message.topic, message.payload)

    def _published(self, client, userdata, mid, reason_code, properties) -> None:
        if self.on_publish:
            self.on_publish(mid, not reason_code.is_failure, str(reason_code))
