"""A van drives a recorded route through real gpsd, with a mock ignition pin, to a real
mosquitto that dies for part of the drive: every event arrives once, in order."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from gpiozero.pins.mock import MockFactory
from paho.mqtt.enums import CallbackAPIVersion

from depotclock.mqtt_client import session_properties
from depotclock.wire.codec import parse_telemetry
from firmware.gps import GpsdUnavailable, gpsd_fixes
from firmware.ignition import IgnitionDebouncer, IgnitionSensor
from firmware.settings import VehicleSettings
from firmware.unit import VehicleUnit
from tests.fakes.gpsd import gpsfake
from tests.waiting import eventually

DRIVE = Path(__file__).parents[2] / "data" / "nmea" / "drive.nmea"
pytestmark = pytest.mark.broker


class TelemetrySubscriber:
    def __init__(self, port: int):
        self.items: dict[str, dict] = {}
        self.deliveries = 0
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="hub-van-test", protocol=mqtt.MQTTv5)
        self.client.username_pw_set("hub", "hub-secret")
        self.client.reconnect_delay_set(0.2, 1)
        self.client.on_connect = lambda c, u, f, rc, p: c.subscribe("depotclock/v1/vehicle/+/telemetry", qos=1)
        self.client.on_message = self._message
        self.client.connect("127.0.0.1", port, clean_start=False, properties=session_properties())
        self.client.loop_start()

    def _message(self, client, userdata, message):
        batch = parse_telemetry(message.payload)
        for item in batch.items:
            self.deliveries += 1
            self.items[str(item.id)] = json.loads(item.model_dump_json())


def test_a_drive_through_a_dead_zone_arrives_whole_and_in_order(make_broker, tmp_path):
    broker = make_broker()
    hub = TelemetrySubscriber(broker.port)
    factory = MockFactory()
    settings = VehicleSettings(
        vehicle_id="van-1", mqtt_url=broker.url("van-1"), journal_path=tmp_path / "van.db",
        ignition_off_hold_s=0.5, batch_items=20,
    )

    def now():
        return datetime.now(timezone.utc)

    ignition = IgnitionSensor(23, IgnitionDebouncer(bounce_s=0.1, off_hold_s=0.5), now, pin_factory=factory)
    with gpsfake(DRIVE) as port:

        def fixes(stop):
            try:
                yield from gpsd_fixes("127.0.0.1", port, stop, timeout=2)
            except GpsdUnavailable:
                stop.wait()  # the replay is over: stay quiet like a parked van

        unit = VehicleUnit(settings, ignition, fixes, now=now)
        runner = threading.Thread(target=unit.run, daemon=True)
        runner.start()
        pin = factory.pin(23)
        pin.drive_low()  # ignition on
        assert eventually(lambda: len(hub.items) >= 3)  # online: the drive is arriving
        broker.process.stop()  # out of coverage: the van's connection drops
        assert eventually(lambda: unit.link is not None and not unit.link.connected.is_set())
        pin.drive_high()  # ignition off while offline
        assert eventually(lambda: any(e.kind == "ignition" for e in unit.journal.pending(1000)))
        broker.process.start()
        assert eventually(lambda: unit.journal.backlog() == 0
                          and [i["on"] for i in list(hub.items.values()) if i["type"] == "ignition"] == [True, False])
        unit.stop()
        runner.join(10)
    factory.reset()

    items = sorted(hub.items.values(), key=lambda i: i["seq"])
    assert [i["seq"] for i in items] == list(range(1, len(items) + 1)), "an event is missing"
    ignitions = [i["on"] for i in items if i["type"] == "ignition"]
    assert ignitions == [True, False]
    fixes_seen = [i for i in items if i["type"] == "fix"]
    assert len(fixes_seen) > 10
    assert [f["at"] for f in fixes_seen] == sorted(f["at"] for f in fixes_seen)
    print(f"{len(items)} events, {hub.deliveries} deliveries")
