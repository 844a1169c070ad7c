"""Instants from GPS while the system clock is not synchronised (docs/protocol.md: a
Raspberry Pi without a clock source boots in 1970, an instant no message may carry)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from gpiozero.pins.mock import MockFactory

from depotclock.wire.badge import ReaderFamily
from firmware.gps import Fix
from firmware.ignition import IgnitionChange, IgnitionDebouncer, IgnitionSensor
from firmware.settings import VehicleSettings
from firmware.unit import VehicleUnit
from kiosk.readers.base import BadgeRead

GPS_T0 = datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)
BOOT = datetime(1970, 1, 1, 0, 0, 30, tzinfo=timezone.utc)  # the Pi's clock after boot


@pytest.fixture
def van(tmp_path):
    """A unit with a settable system clock and clock-synchronised flag; never connected."""
    factory = MockFactory()
    clock = {"now": BOOT, "synced": False}
    now = lambda: clock["now"]  # noqa: E731
    settings = VehicleSettings(vehicle_id="van-1", mqtt_url="mqtt://van-1:x@127.0.0.1:1", journal_path=tmp_path / "j.db")
    ignition = IgnitionSensor(23, IgnitionDebouncer(), now, pin_factory=factory)
    unit = VehicleUnit(settings, ignition, lambda stop: iter(()), now=now, clock_synced=lambda: clock["synced"])
    yield unit, clock
    unit.journal.close()
    factory.reset()


def journaled(unit: VehicleUnit) -> list[dict]:
    return [json.loads(e.payload) for e in unit.journal.pending(100)]


def fix(at: datetime, kmh: float = 30.0) -> Fix:
    return Fix(at, 41.8868, -87.6866, kmh, 90.0, 4.0, 3)


def test_events_before_the_first_fix_wait_for_gps_time(van):
    unit, clock = van
    unit.record_ignition(IgnitionChange(True, BOOT))  # the engine starts in the garage
    unit.record_driver(BadgeRead("DEADBEEF", ReaderFamily.SIMULATED, "deadbeef"))
    assert journaled(unit) == []  # 1970 cannot be sent; nothing is lost either
    clock["now"] = BOOT + timedelta(seconds=90)
    unit.record_fix(fix(GPS_T0 + timedelta(seconds=90)))  # out of the garage: the sky
    items = journaled(unit)
    assert [i["type"] for i in items] == ["ignition", "driver", "fix"]
    assert [datetime.fromisoformat(i["at"]) for i in items] == [GPS_T0, GPS_T0, GPS_T0 + timedelta(seconds=90)]


def test_after_a_fix_events_and_status_carry_gps_time(van):
    unit, clock = van
    unit.record_fix(fix(GPS_T0))
    clock["now"] = BOOT + timedelta(seconds=10)
    unit.record_ignition(IgnitionChange(False, BOOT + timedelta(seconds=5)))
    assert datetime.fromisoformat(journaled(unit)[-1]["at"]) == GPS_T0 + timedelta(seconds=5)
    assert unit.clock() == GPS_T0 + timedelta(seconds=10)
    status = unit._status(True)
    assert status.at == GPS_T0 + timedelta(seconds=10) and status.clock_synced is False


def test_once_synchronised_the_system_clock_is_used_again(van):
    unit, clock = van
    unit.record_fix(fix(GPS_T0))
    clock.update(now=GPS_T0 + timedelta(minutes=5), synced=True)  # NTP stepped the clock
    unit.record_ignition(IgnitionChange(True, GPS_T0 + timedelta(minutes=4)))
    assert datetime.fromisoformat(journaled(unit)[-1]["at"]) == GPS_T0 + timedelta(minutes=4)
    assert unit.clock() == GPS_T0 + timedelta(minutes=5)


def test_without_a_reader_the_status_says_nothing_about_one(van):
    unit, _ = van
    unit.record_fix(fix(GPS_T0))
    status = unit._status(True)
    assert status.reader_ok is None and status.reader_error is None


def test_a_synchronised_unit_does_not_send_a_fix_dated_years_ahead(van):
    """Issue 20, item 2: the hub would refuse it (depotclock.wire.horizon); the unit drops
    it first, and a fix within the tolerance still goes."""
    unit, clock = van
    clock.update(now=GPS_T0, synced=True)
    unit.record_fix(fix(datetime(2035, 3, 2, 13, 0, tzinfo=timezone.utc)))
    assert journaled(unit) == []
    unit.record_fix(fix(GPS_T0 + timedelta(minutes=9)))
    assert [i["type"] for i in journaled(unit)] == ["fix"]


def test_an_obd_ii_unit_says_how_its_adapter_and_car_answer(tmp_path):
    from firmware.obd_ignition import ObdIgnition, ObdSettings

    settings = VehicleSettings(vehicle_id="van-1", mqtt_url="mqtt://van-1:x@127.0.0.1:1", journal_path=tmp_path / "j.db",
                               ignition_source="obd", obd={"port": "/dev/ttyUSB0", "engine_from": "voltage"})
    assert settings.obd == ObdSettings(port="/dev/ttyUSB0", engine_from="voltage")
    source = ObdIgnition(settings.obd, IgnitionDebouncer(), lambda: GPS_T0)
    unit = VehicleUnit(settings, source, lambda stop: iter(()), now=lambda: GPS_T0)
    status = unit._status(True)
    assert status.obd_ok is False and status.obd_error == "the OBD-II adapter is not open yet"
    source._health(True, None)
    source.odometer_km = 51231.5
    assert unit._status_dirty.is_set()
    status = unit._status(True)
    assert (status.obd_ok, status.obd_error, status.odometer_km) == (True, None, 51231.5)
    assert [t.name for t in unit.readers] == ["gps", "obd"]
    unit.journal.close()
