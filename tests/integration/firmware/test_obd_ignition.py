"""Issue 20, OBD-II ignition: the real python-OBD through an emulated ELM327 adapter (the
ELM327-emulator package, on a pty). The engine's RPM drives the ignition, debounced like
the GPIO line; the car falling silent reads as engine off; the adapter falling silent keeps
the state, shows in status and the adapter is opened again when it answers."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

from firmware.ignition import IgnitionDebouncer
from firmware.obd_ignition import ObdIgnition, ObdSettings
from tests.waiting import eventually

elm = pytest.importorskip("elm", reason="ELM327-emulator is in the test extra")
from elm.obd_message import DT, ECU_R_ADDR_E, HD, ST, SZ  # noqa: E402

RPM_ZERO = HD(ECU_R_ADDR_E) + SZ("04") + DT("41 0C 00 00")


def now() -> datetime:
    return datetime.now(timezone.utc)


def _point(link: Path, emulator) -> None:
    """The adapter's device name stays; the pty behind it is the new emulator's."""
    link.unlink(missing_ok=True)
    link.symlink_to(emulator.get_pty())


def test_the_engine_over_obd_ii_through_an_elm327(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the emulator writes its elm.log where it runs
    adapter = tmp_path / "ttyOBD"
    settings = ObdSettings(port=str(adapter), baudrate=38400, poll_s=0.1, timeout_s=1.0, retry_s=(0.2, 0.5))
    source = ObdIgnition(settings, IgnitionDebouncer(bounce_s=0.2, off_hold_s=0.5), now)
    stop = threading.Event()
    changes = []

    def poll() -> bool:
        if change := source.poll():
            changes.append(change.on)
        return True

    with elm.Elm() as emulator:
        _point(adapter, emulator)
        reader = threading.Thread(target=source.run, args=(stop,), daemon=True)
        reader.start()
        assert eventually(lambda: poll() and changes == [True], timeout=30), source.error  # idling: RPM > 0
        assert source.ok and source.error is None
        assert source.speed_kmh is not None and source.speed_kmh >= 0

        emulator.answer["RPM"] = RPM_ZERO  # the engine stops, the ECU still answers
        assert eventually(lambda: poll() and changes == [True, False], timeout=10)
        assert source.ok

        del emulator.answer["RPM"]  # started again
        assert eventually(lambda: poll() and changes == [True, False, True], timeout=10)
        emulator.answer["RPM"] = ST("NO DATA")  # ignition off: the car's ECUs are asleep
        assert eventually(lambda: poll() and changes[-1] is False and not source.ok, timeout=10)
        assert "the car does not answer" in source.error
        del emulator.answer["RPM"]
        assert eventually(lambda: poll() and changes[-1] is True and source.ok, timeout=10)

    # the adapter is unplugged while the engine runs: unknown, so the state stays
    assert eventually(lambda: poll() and not source.ok and "adapter" in (source.error or ""), timeout=15)
    assert source.debouncer.state is True and changes[-1] is True

    with elm.Elm() as emulator:  # plugged in again
        _point(adapter, emulator)
        assert eventually(lambda: poll() and source.ok, timeout=30), source.error
        stop.set()
        reader.join(10)
    source.close()
    assert changes == [True, False, True, False, True]


def test_the_engine_from_the_adapters_voltage(tmp_path, monkeypatch):
    """`engine_from = "voltage"`: the alternator charges above the battery's resting voltage
    (the emulator's port reads about 13 V: above 12.5, running)."""
    monkeypatch.chdir(tmp_path)
    stop, changes = threading.Event(), []
    with elm.Elm() as emulator:
        settings = ObdSettings(port=emulator.get_pty(), baudrate=38400, poll_s=0.1, timeout_s=1.0,
                               engine_from="voltage", running_volts=12.5)
        source = ObdIgnition(settings, IgnitionDebouncer(bounce_s=0.1), now)
        reader = threading.Thread(target=source.run, args=(stop,), daemon=True)
        reader.start()

        def changed() -> bool:
            if change := source.poll():
                changes.append(change.on)
            return bool(changes)

        assert eventually(changed, timeout=30), source.error
        stop.set()
        reader.join(10)
    source.close()
    assert changes == [True] and source.ok
