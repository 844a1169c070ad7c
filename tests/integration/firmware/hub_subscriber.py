"""A subscriber like the hub's, for tests of the van unit against a real broker."""

from __future__ import annotations

import json
import time

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from depotclock.wire.codec import parse_telemetry, parse_vehicle_status


def wait_for(condition, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


class Hub:
    """Subscribes like the hub: telemetry items in arrival order, and every status."""

    def __init__(self, port: int):
        self.items: list[dict] = []
        self.statuses = []
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="hub-test", protocol=mqtt.MQTTv5)
        self.client.username_pw_set("hub", "hub-secret")
        self.client.on_connect = lambda c, u, f, rc, p: c.subscribe(
            [("depotclock/v1/vehicle/+/telemetry", 1), ("depotclock/v1/vehicle/+/status", 1)]
        )
        self.client.on_message = self._message
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def _message(self, client, userdata, message):
        if message.topic.endswith("/status"):
            self.statuses.append(parse_vehicle_status(message.payload))
        else:
            self.items += [json.loads(i.model_dump_json()) for i in parse_telemetry(message.payload).items]

    def close(self):
        self.client.loop_stop()
        self.client.disconnect()
