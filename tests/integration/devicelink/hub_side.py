"""What the hub would see: a persistent subscriber that keeps every message by id."""

from __future__ import annotations

import json
import threading
import time

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from depotclock.mqtt_client import session_properties


class HubSubscriber:
    def __init__(self, port: int, topic_filter: str = "depotclock/v1/kiosk/+/punch"):
        self.deliveries: list[dict] = []
        self.states: dict[str, str] = {}  # the `state` of each status topic's latest message
        self._lock = threading.Lock()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="hub-test", protocol=mqtt.MQTTv5)
        self.client.username_pw_set("hub", "hub-secret")
        self.client.reconnect_delay_set(0.2, 1)
        self.client.on_connect = lambda c, u, f, rc, p: c.subscribe(
            [(topic_filter, 1), ("depotclock/v1/kiosk/+/status", 1)]
        )
        self.client.on_message = self._message
        self.client.connect("127.0.0.1", port, clean_start=False, properties=session_properties())
        self.client.loop_start()

    def _message(self, client, userdata, message) -> None:
        with self._lock:
            if message.topic.endswith("/status"):
                self.states[message.topic] = json.loads(message.payload)["state"]
            else:
                self.deliveries.append(json.loads(message.payload))

    def ids(self) -> set[str]:
        with self._lock:
            return {d["id"] for d in self.deliveries}

    def wait_for(self, count: int, timeout: float = 60) -> set[str]:
        deadline = time.monotonic() + timeout
        while len(self.ids()) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.ids()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
