"""A van whose Raspberry Pi booted in 1970 with no network time (docs/protocol.md refuses
such instants): it holds its events and stays off the broker until the first fix gives
the time, then everything reaches the hub stamped with GPS time."""

from __future__ import annotations

import queue
import threading
from datetime import datetime, timezone

import pytest
from gpiozero.pins.mock import MockFactory

from firmware.gps import Fix
from firmware.ignition import IgnitionDebouncer, IgnitionSensor
from firmware.settings import VehicleSettings
from firmware.unit import VehicleUnit
from tests.integration.firmware.hub_subscriber import Hub, wait_for

pytestmark = pytest.mark.broker
BOOT = datetime(1970, 1, 1, tzinfo=timezone.utc)
GPS_EPOCH = datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)  # what the sky says it is


def test_a_van_that_booted_in_1970_waits_for_gps_time(make_broker, tmp_path):
    broker = make_broker()
    hub = Hub(broker.port)
    started = datetime.now(timezone.utc)

    def system_now() -> datetime:  # the Pi's clock: running, but from 1970
        return BOOT + (datetime.now(timezone.utc) - started)

    def gps_now() -> datetime:
        return GPS_EPOCH + (datetime.now(timezone.utc) - started)

    fixes: queue.Queue[Fix] = queue.Queue()
    done = threading.Event()

    def gps(stop):
        while not done.is_set() and not stop.is_set():
            try:
                yield fixes.get(timeout=0.1)
            except queue.Empty:
                continue

    factory = MockFactory()
    settings = VehicleSettings(vehicle_id="van-1", mqtt_url=broker.url("van-1"), journal_path=tmp_path / "van.db")
    ignition = IgnitionSensor(23, IgnitionDebouncer(bounce_s=0.05), system_now, pin_factory=factory)
    unit = VehicleUnit(settings, ignition, gps, now=system_now, clock_synced=lambda: False)
    runner = threading.Thread(target=unit.run, daemon=True)
    runner.start()

    factory.pin(23).drive_low()  # the engine starts in the garage, no sky
    wait_for(lambda: unit._held, "the ignition change to be held")
    assert unit.link is None and unit.journal.last_seq() == 0

    fixes.put(Fix(gps_now(), 41.8868, -87.6866, 12.0, 90.0, 4.0, 3))  # out of the garage
    wait_for(lambda: len(hub.items) == 2 and hub.statuses, "the held ignition and the fix")
    done.set()
    unit.stop()
    runner.join(10)
    factory.reset()
    hub.close()

    items = sorted(hub.items, key=lambda i: i["seq"])
    assert [i["type"] for i in items] == ["ignition", "fix"]
    on_at, fix_at = (datetime.fromisoformat(i["at"]) for i in items)
    assert GPS_EPOCH <= on_at <= fix_at  # GPS time, not 1970, and before the van left
    assert hub.statuses[0].clock_synced is False and hub.statuses[0].at.year == 2026
