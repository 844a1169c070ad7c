"""The kiosk process against a real mosquitto and the hub's real ingest: badges keep being
tapped while the broker is down, the kiosk is SIGKILLed and restarted offline, and the
hub ends with every punch the kiosk journaled, exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import select

from depotclock.mqtt_url import BrokerAddress
from depotclock.wire.messages import RosterEntry, TechState
from hub.ingest.consumer import IngestConsumer
from hub.store.engine import make_engine
from hub.store.migrate import upgrade
from hub.store.models import Punch
from tests.integration.kiosk.hub_side import StatusWatcher, publish_roster
from tests.waiting import eventually

pytestmark = pytest.mark.broker

_eventually = partial(eventually, timeout=60.0)
BADGES = [f"{0xA0000000 + n:08X}" for n in range(8)]
DEPOTCLOCK = str(Path(sys.executable).with_name("depotclock"))


class KioskProcess:
    def __init__(self, config: Path, feed: Path, log: Path):
        self.config, self.feed, self.log = config, feed, log
        self.process: subprocess.Popen | None = None

    def start(self) -> KioskProcess:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [DEPOTCLOCK, "kiosk", "run", "--config", str(self.config)], stdout=out, stderr=subprocess.STDOUT
            )
        return self

    def tap(self, badge: str) -> None:
        """Present a card: a line on the simulated reader's FIFO, once the kiosk reads it."""
        deadline = time.monotonic() + 20
        while True:
            try:
                fd = os.open(self.feed, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError as exc:  # not made yet, or nobody reading it yet
                if time.monotonic() > deadline:
                    raise AssertionError(f"the kiosk never opened its reader: {self.log.read_text()[-2000:]}") from exc
                time.sleep(0.05)
        os.write(fd, f"{badge}\n".encode())
        os.close(fd)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def _journaled(journal: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(f"file:{journal}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT id, payload FROM entries WHERE kind = 'punch' ORDER BY seq").fetchall()
    return [(i, json.loads(p)["action"]) for i, p in rows]


def _journal_state(journal: Path) -> list[tuple]:
    with sqlite3.connect(f"file:{journal}?mode=ro", uri=True) as db:
        return db.execute("SELECT seq, sent_at, confirmed_at FROM entries ORDER BY seq").fetchall()


def test_every_punch_reaches_the_hub_once_through_broker_outage_and_sigkill(make_broker, tmp_path):
    broker = make_broker()
    publish_roster(broker.port, datetime.now(timezone.utc) - timedelta(minutes=5), tuple(
        RosterEntry(tech=f"T-{n}", name=f"Tech {n}", badges=(badge,), state=TechState.OFF)
        for n, badge in enumerate(BADGES)
    ))
    database = f"sqlite:///{tmp_path / 'hub.db'}"
    upgrade(database)
    engine = make_engine(database)
    ingest = IngestConsumer(BrokerAddress.from_url(broker.url("hub")), engine, client_id="hub-ingest")
    threading.Thread(target=ingest.run, daemon=True).start()
    status = StatusWatcher(broker.port)

    feed, journal = tmp_path / "taps", tmp_path / "kiosk.db"
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'kiosk_id = "kiosk-1"\ndepot_id = "north"\nmqtt_url = "{broker.url("kiosk-1")}"\n'
        f'journal_path = "{journal}"\nscreen_port = 0\ndouble_read_s = 0.5\nanswer_s = 0.3\n'
        # The restarted broker has lost the hub's session: what the kiosk sends before the
        # hub has subscribed again is acknowledged and dropped. No receipt comes for it,
        # so the kiosk sends it again after this wait (on a busy machine the kiosk does
        # reconnect first).
        'receipt_timeout_s = 3\n'
        f'[reader]\nfamily = "simulated"\nsimulated_feed = "{feed}"\n'
    )
    kiosk = KioskProcess(config, feed, tmp_path / "kiosk.log").start()
    try:
        assert _eventually(lambda: status.last.get("state") == "online")

        def tap_all() -> None:
            for badge in BADGES:
                kiosk.tap(badge)
                time.sleep(0.05)
            time.sleep(0.8)  # past the double-read window and the last question's default

        def stored() -> list:
            with engine.connect() as connection:
                return connection.execute(select(Punch.id, Punch.action, Punch.badge_id)).all()

        tap_all()  # everyone clocks in, online
        assert _eventually(lambda: len(stored()) == 8)  # nothing acknowledged is left in the broker
        broker.process.kill()
        tap_all()  # everyone clocks out (the default answer), offline
        assert _eventually(lambda: len(_journaled(journal)) == 16)
        kiosk.kill()  # with eight punches not yet sent
        kiosk.start()  # still offline: works from the roster it kept
        tap_all()
        assert _eventually(lambda: len(_journaled(journal)) == 24), kiosk.log.read_text()[-3000:]
        broker.process.start()

        journaled = _journaled(journal)
        expected = {uuid.UUID(i) for i, _ in journaled}

        assert _eventually(lambda: {r.id for r in stored()} == expected, timeout=90), (
            _journal_state(journal), kiosk.log.read_text()[-3000:])
        rows = stored()
        assert len(rows) == 24  # each once: the id is the key
        for badge in BADGES:
            actions = [r.action for r in rows if r.badge_id == badge]
            assert sorted(actions) == ["clock_in", "clock_in", "clock_out"]
        assert [a for _, a in journaled].count("clock_out") == 8
        assert status.last["state"] == "online" and status.last["reader_ok"] is True
    finally:
        kiosk.stop()
        ingest.stop()
