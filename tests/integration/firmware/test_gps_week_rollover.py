"""Issue 20, item 1: a receiver past a GPS week rollover dates fixes before 2000. A real
Trimble Lassen iQ recording from gpsd's regression suite (tests/data/gpsd/README.md),
replayed through real gpsd whose clock says 1970 (a Raspberry Pi that has not set its
clock): gpsd passes the receiver's 1980 dates through. The unit moves them on by 1024
weeks, or drops them when a synchronised clock says otherwise, and its GPS thread lives on
(it used to die on the first such fix, the watchdog still pinged)."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from gpiozero.pins.mock import MockFactory

from depotclock.wire.messages import EARLIEST
from firmware.gps import GPS_WEEK_ROLLOVER, Fix, GpsdUnavailable, dated, gpsd_fixes
from firmware.ignition import IgnitionDebouncer, IgnitionSensor
from firmware.settings import VehicleSettings
from firmware.unit import VehicleUnit
from tests.fakes.gpsd import gpsfake
from tests.waiting import eventually

TRIMBLE = Path(__file__).parents[2] / "data" / "gpsd" / "trimble-lassen_iq-playacar.log"
PI_BOOT = date(1970, 1, 2)


def _replay(cycle: float) -> list[Fix]:
    """The replay's fixes up to a few after the receiver's UTC message puts them in 2006."""
    fixes: list[Fix] = []
    with gpsfake(TRIMBLE, cycle=cycle, gpsd_clock=PI_BOOT) as port:
        try:
            for fix in gpsd_fixes("127.0.0.1", port, threading.Event(), timeout=2):
                fixes.append(fix)
                if sum(f.at.year == 2006 for f in fixes) == 5:
                    break
        except GpsdUnavailable:
            pass  # quiet after the replay
    return fixes


@pytest.fixture(scope="module")
def replayed() -> list[Fix]:
    """gpsd reports nothing while it identifies the receiver: on a busy machine that can
    take the replay past the early fixes, so it is replayed slower until it does not."""
    for cycle in (0.05, 0.2, 0.5):
        fixes = _replay(cycle)
        if any(f.at < EARLIEST for f in fixes):
            return fixes
    pytest.fail("gpsd reported none of the receiver's pre-2000 fixes, however slowly replayed")


def test_gpsd_passes_the_receivers_1980_dates_through(replayed):
    early = [f for f in replayed if f.at < EARLIEST]
    assert early and early[0].at.year == 1980
    assert replayed[-1].at.year == 2006  # the receiver's UTC message: the day it was recorded


def test_a_fix_before_2000_is_moved_on_1024_weeks_at_a_time(replayed):
    first = replayed[0]
    corrected = dated(first, None, 600)
    assert isinstance(corrected, Fix)
    assert corrected.at == first.at + 2 * GPS_WEEK_ROLLOVER  # 1980 -> 1999 -> 2019
    assert (corrected.lat, corrected.lon) == (first.lat, first.lon)
    late = replayed[-1]
    assert dated(late, None, 600) is late  # a possible date is left alone


def test_a_synchronised_clock_refuses_a_correction_it_disagrees_with(replayed):
    first = replayed[0]
    reason = dated(first, datetime(2026, 12, 7, tzinfo=timezone.utc), 600)
    assert isinstance(reason, str) and "1980-01-11" in reason and "synchronised clock" in reason
    agreed = first.at + 2 * GPS_WEEK_ROLLOVER + timedelta(seconds=2)
    assert isinstance(dated(first, agreed, 600), Fix)


def test_the_unit_records_the_replay_and_its_gps_thread_lives_on(replayed, tmp_path):
    factory = MockFactory()
    boot = datetime(1970, 1, 2, tzinfo=timezone.utc)
    settings = VehicleSettings(vehicle_id="van-1", mqtt_url="mqtt://van-1:x@127.0.0.1:1",
                               journal_path=tmp_path / "j.db")
    ignition = IgnitionSensor(23, IgnitionDebouncer(), lambda: boot, pin_factory=factory)
    done = threading.Event()

    def fixes(stop):
        yield from replayed
        done.set()
        yield from iter(stop.wait, True)  # then quiet, like a parked van's gpsd

    unit = VehicleUnit(settings, ignition, fixes, now=lambda: boot, clock_synced=lambda: False)
    unit.gps_thread.start()
    assert eventually(done.is_set, timeout=10)
    unit.stop()
    unit.gps_thread.join(5)
    items = [json.loads(e.payload) for e in unit.journal.pending(1000)]
    unit.journal.close()
    factory.reset()
    assert unit.gps_thread.restarts == 0 and unit.faults == []
    ats = [datetime.fromisoformat(i["at"]) for i in items]
    assert len(ats) >= 2 and all(at >= EARLIEST for at in ats)
    assert ats[0].year == 2019 and ats[-1].year == 2006  # corrected, then the receiver's own UTC
