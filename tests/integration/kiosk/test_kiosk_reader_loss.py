"""A kiosk whose PC/SC reader goes away (pcscd stopped: the reader is unplugged) says so on
its screen and its retained status topic, reopens the reader when it returns, and takes
taps again: the real pyscard, a real pcscd, the vpcd reader and our virtual card."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import pytest

from kiosk.readers.pcsc import PcscReader
from kiosk.settings import KioskSettings
from kiosk.terminal import DeviceClocks, Kiosk
from tests.integration.kiosk.hub_side import StatusWatcher
from tests.waiting import eventually

pytestmark = pytest.mark.broker


def test_a_lost_reader_is_reported_and_reopened(broker, pcscd, tmp_path):
    watcher = StatusWatcher(broker.port)
    settings = KioskSettings(
        kiosk_id="kiosk-1", depot_id="north", mqtt_url=broker.url("kiosk-1"),
        journal_path=tmp_path / "kiosk.db", screen=False, double_read_s=0,
    )
    clocks = DeviceClocks(
        now=lambda: datetime.now(timezone.utc), monotonic=time.monotonic, synced=lambda: True, boot_id="b",
    )
    kiosk = Kiosk(settings, PcscReader(), clocks)
    runner = threading.Thread(target=kiosk.run, daemon=True)
    runner.start()
    try:
        assert eventually(lambda: watcher.last.get("state") == "online" and watcher.last.get("reader_ok") is True)
        card = pcscd.card(bytes.fromhex("DEADBEEF")).insert()
        assert eventually(lambda: kiosk.journal.last_seq() == 1)  # no roster: an unknown badge, recorded
        card.remove()

        pcscd.stop()  # the reader is unplugged
        assert eventually(lambda: watcher.last.get("reader_ok") is False)
        assert "Virtual PCD" in watcher.last["reader_error"] or "pcscd" in watcher.last["reader_error"]
        assert eventually(lambda: kiosk.screen.snapshot()["reader_ok"] is False)

        pcscd.start()  # and plugged back
        assert eventually(lambda: watcher.last.get("reader_ok") is True)
        assert kiosk.screen.snapshot()["reader_ok"] is True
        time.sleep(0.5)  # pcscd polls vpcd for a card every 400 ms
        pcscd.card(bytes.fromhex("DEADBEEF")).insert()
        assert eventually(lambda: kiosk.journal.last_seq() == 2)
    finally:
        kiosk.stop()
        runner.join(10)
