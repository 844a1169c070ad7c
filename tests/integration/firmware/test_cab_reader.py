"""A badge reader in the cab (the kiosk's simulated reader: a FIFO) with a real mosquitto:
driver reads reach the hub in order with the fixes, and a reader that vanishes is
reported in the van's status and picked up again when it comes back."""

from __future__ import annotations

import logging
import os
import queue
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
from gpiozero.pins.mock import MockFactory

from firmware.gps import Fix
from firmware.ignition import IgnitionDebouncer, IgnitionSensor
from firmware.settings import VehicleSettings
from firmware.unit import VehicleUnit
from kiosk.readers.base import ReaderUnavailable
from kiosk.readers.choice import ReaderSettings, make_reader
from kiosk.readers.simulated import SimulatedReader
from tests.integration.firmware.hub_subscriber import Hub, wait_for

pytestmark = pytest.mark.broker


def now() -> datetime:
    return datetime.now(timezone.utc)


class Van:
    """A unit with a mock ignition pin and fixes the test hands it, running in a thread."""

    def __init__(self, settings: VehicleSettings, reader):
        self.factory = MockFactory()
        self.fixes: queue.Queue[Fix] = queue.Queue()
        self._done = threading.Event()
        ignition = IgnitionSensor(23, IgnitionDebouncer(), now, pin_factory=self.factory)
        self.unit = VehicleUnit(settings, ignition, self._fixes, now=now, reader=reader)
        self.thread = threading.Thread(target=self.unit.run, daemon=True)
        self.thread.start()

    def _fixes(self, stop):
        while not self._done.is_set() and not stop.is_set():
            try:
                yield self.fixes.get(timeout=0.1)
            except queue.Empty:
                continue

    def drive(self, heading: float) -> None:
        """A fix while driving; a new heading each time, so the filter keeps every one."""
        before = self.unit.journal.last_seq()
        self.fixes.put(Fix(now(), 41.8868, -87.6866, 30.0, heading, 4.0, 3))
        wait_for(lambda: self.unit.journal.last_seq() > before, "the fix to be journaled")

    def stop(self) -> None:
        self._done.set()
        self.unit.stop()
        self.thread.join(10)
        self.factory.reset()


def tap(feed: Path, line: str) -> None:
    fd = os.open(feed, os.O_WRONLY | os.O_NONBLOCK)
    os.write(fd, f"{line}\n".encode())
    os.close(fd)


def test_driver_badges_reach_the_hub_in_order_with_the_fixes(make_broker, tmp_path, caplog):
    broker = make_broker()
    hub = Hub(broker.port)
    feed = tmp_path / "cab-taps"
    settings = VehicleSettings(
        vehicle_id="van-1", mqtt_url=broker.url("van-1"), journal_path=tmp_path / "van.db",
        reader=ReaderSettings(family="simulated", simulated_feed=feed),
    )
    van = Van(settings, make_reader(settings.reader))
    wait_for(lambda: van.unit.cab.ok, "the cab reader to open")
    with caplog.at_level(logging.WARNING, logger="firmware.cab_reader"):
        van.drive(0.0)
        tap(feed, "DEADBEEF")
        tap(feed, "deadbeef")  # tapped again at once: the same read
        tap(feed, "not a badge")  # a card without a usable id
        wait_for(lambda: "no usable id" in caplog.text, "the unreadable card to be logged")
        van.drive(90.0)
        tap(feed, "0A0B0C0D")  # the second technician takes the wheel
        wait_for(lambda: van.unit.journal.last_seq() == 4, "the second driver")
        van.drive(180.0)
    wait_for(lambda: len(hub.items) >= 5 and hub.statuses, "the hub to receive everything")
    van.stop()
    hub.close()

    items = sorted(hub.items, key=lambda i: i["seq"])
    assert [i["seq"] for i in items] == [1, 2, 3, 4, 5]
    assert [(i["type"], i.get("badge", {}).get("id")) for i in items] == [
        ("fix", None), ("driver", "DEADBEEF"), ("fix", None), ("driver", "0A0B0C0D"), ("fix", None),
    ]
    assert items[1]["badge"] == {"id": "DEADBEEF", "family": "simulated", "raw": "DEADBEEF"}
    assert [i["at"] for i in items] == sorted(i["at"] for i in items)
    assert hub.statuses[-1].reader_ok is True and hub.statuses[-1].reader_error is None


class UnpluggableReader(SimulatedReader):
    """The simulated reader, gone while its FIFO is gone: like a USB reader's device node
    when it is pulled out, and back when it is plugged in again."""

    def open(self) -> None:
        if not self.feed.exists():
            raise ReaderUnavailable(f"{self.feed} is gone")
        super().open()

    def read(self, timeout: float):
        if not self.feed.exists():
            raise ReaderUnavailable(f"{self.feed} is gone")
        return super().read(timeout)


def test_a_reader_that_vanishes_is_reported_and_picked_up_again(make_broker, tmp_path):
    broker = make_broker()
    hub = Hub(broker.port)
    feed = tmp_path / "cab-taps"
    os.mkfifo(feed)
    settings = VehicleSettings(vehicle_id="van-1", mqtt_url=broker.url("van-1"), journal_path=tmp_path / "van.db")
    van = Van(settings, UnpluggableReader(feed))
    wait_for(lambda: any(s.reader_ok for s in hub.statuses), "a status with the reader working")

    feed.unlink()  # pulled out
    wait_for(lambda: any(s.reader_ok is False for s in hub.statuses), "a status with the reader gone")
    gone = next(s for s in hub.statuses if s.reader_ok is False)
    assert gone.reader_error == f"{feed} is gone" and gone.state == "online"

    os.mkfifo(feed)  # plugged in again
    wait_for(lambda: hub.statuses[-1].reader_ok is True, "a status with the reader back")
    tap(feed, "DEADBEEF")
    wait_for(lambda: hub.items, "the driver read after the reader came back")
    van.stop()
    hub.close()
    assert [(i["type"], i["badge"]["id"]) for i in hub.items] == [("driver", "DEADBEEF")]
