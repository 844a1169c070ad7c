"""Issue 20, item 1: a reader thread that dies is seen. Its fault is kept and shown in the
unit's status, the service watchdog is not pinged while it lasts, and the reader is
started again after the backoff's pause; once it works, all is well again."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from gpiozero.pins.mock import MockFactory

from firmware.gps import Fix
from firmware.ignition import IgnitionDebouncer, IgnitionSensor
from firmware.settings import VehicleSettings
from firmware.supervised import SupervisedThread
from firmware.unit import VehicleUnit
from tests.waiting import eventually

GPS_T0 = datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)
BOOT = datetime(1970, 1, 1, tzinfo=timezone.utc)  # the clock comes from GPS


def test_a_loop_that_raises_is_restarted_and_its_fault_kept_until_it_works():
    stop, runs, changes = threading.Event(), [], []

    def loop(stop: threading.Event) -> None:
        runs.append(1)
        if len(runs) < 3:
            raise ValueError(f"bug number {len(runs)}")
        thread.worked()
        stop.wait()

    thread = SupervisedThread("gps", loop, stop, (0.01, 0.02), lambda: changes.append(thread.fault))
    thread.start()
    assert eventually(lambda: len(runs) == 3 and thread.fault is None, timeout=5)
    stop.set()
    thread.join(5)
    assert thread.restarts == 2
    assert changes == ["gps reader failed: ValueError: bug number 1",
                       "gps reader failed: ValueError: bug number 2", None]


def test_a_thread_that_ended_is_a_fault():
    thread = SupervisedThread("cab", lambda stop: None, threading.Event(), (0.01, 0.02))
    assert thread.fault is None  # not started
    thread.start()
    thread.join(5)
    assert thread.fault == "the cab thread has ended"


def test_the_unit_withholds_the_watchdog_and_reports_while_gps_is_at_fault(tmp_path):
    factory = MockFactory()
    settings = VehicleSettings(vehicle_id="van-1", mqtt_url="mqtt://van-1:x@127.0.0.1:1",
                               journal_path=tmp_path / "j.db", gps_retry_s=(0.05, 0.1))
    ignition = IgnitionSensor(23, IgnitionDebouncer(), lambda: BOOT, pin_factory=factory)
    connections = []
    release = threading.Event()

    def fixes(stop):
        connections.append(1)
        yield Fix(GPS_T0 + timedelta(seconds=len(connections)), 41.88, -87.68, 30.0 * (len(connections) - 1), None, 4.0, 3)
        if len(connections) == 1:
            release.wait()
            raise KeyError("a bug in the GPS path")
        yield from iter(stop.wait, True)

    unit = VehicleUnit(settings, ignition, fixes, now=lambda: BOOT, clock_synced=lambda: False)
    beats: list[bool] = []
    statuses = []
    runner = threading.Thread(target=unit.run, kwargs={"poll_s": 0.01, "heartbeat": beats.append}, daemon=True)
    runner.start()
    assert eventually(lambda: beats, timeout=5)
    release.set()
    assert eventually(lambda: unit.faults, timeout=5)
    statuses.append(unit._status(online=True))
    assert eventually(lambda: unit.journal.last_seq() == 2 and not unit.faults, timeout=5)  # restarted, works
    statuses.append(unit._status(online=True))
    at_fault = len(beats)
    assert eventually(lambda: len(beats) > at_fault + 3, timeout=5)
    unit.stop()
    runner.join(10)
    factory.reset()
    assert beats[0] is True and False in beats and beats[-1] is True  # withheld, then again
    assert unit.gps_thread.restarts == 1
    failed, healthy = statuses
    assert failed.gps_ok is False and failed.gps_error == "gps reader failed: KeyError: 'a bug in the GPS path'"
    assert healthy.gps_ok is True and healthy.gps_error is None
    assert unit.clock() - GPS_T0 < timedelta(minutes=1)
