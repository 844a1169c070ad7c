"""Kiosk tap-to-feedback latency, against a bare SQLite insert with the same durability,
and the drain time of a 10,000-punch offline backlog once the broker returns.

Latency: a running kiosk (its reader thread on the simulated reader's FIFO, the decision
loop, the journal with WAL and synchronous=FULL, the forwarder talking to a real
mosquitto) from the moment a badge line is written to the reader until the kiosk gives
its "accepted" feedback; the punch is on disk by then. Baseline: one-row INSERT + COMMIT
into a SQLite file in the same folder with the same pragmas, the least any durable kiosk
pays per punch. Drain: 10,000 punches journaled while the broker is down, then the
broker starts; the time until the broker has acknowledged every one, and a subscriber
(the hub's stand-in) has received every one.

Run: .venv/bin/python bench/kiosk_tap.py [--taps N] [--backlog N]
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sqlite3
import statistics
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from depotclock.mosquitto import MosquittoProcess, free_port
from depotclock.mqtt_client import session_properties
from depotclock.wire.badge import ReaderFamily
from depotclock.wire.codec import encode
from depotclock.wire.messages import Roster, RosterEntry, TechState
from hub.broker.mosquitto_files import BrokerAccount, write_broker_files
from kiosk.flow import Tap
from kiosk.readers.base import BadgeRead
from kiosk.readers.simulated import SimulatedReader
from kiosk.settings import KioskSettings
from kiosk.terminal import DeviceClocks, Kiosk

ACCOUNTS = [BrokerAccount("hub", "hub-pw", "hub"), BrokerAccount("kiosk-1", "k-pw", "kiosk", depot="north")]


def _badge(n: int) -> str:
    return f"{0x10000000 + n:08X}"


def _roster(size: int) -> Roster:
    return Roster(
        id=uuid.uuid4(), device="hub", seq=1, at=datetime.now(timezone.utc) - timedelta(hours=1),
        depot="north", technicians=tuple(
            RosterEntry(tech=f"T-{n}", name=f"Tech {n}", badges=(_badge(n),), state=TechState.OFF)
            for n in range(size)
        ),
    )


def _kiosk(folder: Path, port: int, roster_size: int) -> Kiosk:
    settings = KioskSettings(
        kiosk_id="kiosk-1", depot_id="north", mqtt_url=f"mqtt://kiosk-1:k-pw@127.0.0.1:{port}",
        journal_path=folder / "kiosk.db", screen=False, double_read_s=0,
        reader={"family": "simulated", "simulated_feed": str(folder / "taps")},
    )
    clocks = DeviceClocks(
        now=lambda: datetime.now(timezone.utc), monotonic=time.monotonic, synced=lambda: True, boot_id="bench",
    )
    kiosk = Kiosk(settings, SimulatedReader(settings.reader.simulated_feed), clocks)
    kiosk.journal.set_state("roster", encode(_roster(roster_size)))
    kiosk.roster.load(_roster(roster_size))
    return kiosk


class _Signals:
    """Stands where the LEDs are: notes when the kiosk gives its feedback."""

    def __init__(self):
        self.accepted_at: list[float] = []
        self.given = threading.Event()

    def accepted(self) -> None:
        self.accepted_at.append(time.perf_counter())
        self.given.set()

    def idle(self, *args) -> None:
        pass

    def close(self) -> None:
        pass


def tap_latencies(folder: Path, port: int, taps: int) -> list[float]:
    kiosk = _kiosk(folder, port, taps)
    signals = kiosk.signals = _Signals()
    runner = threading.Thread(target=kiosk.run, daemon=True)
    runner.start()
    kiosk.link.connected.wait(10)
    while not kiosk.settings.reader.simulated_feed.exists():
        time.sleep(0.01)
    feed = os.open(kiosk.settings.reader.simulated_feed, os.O_WRONLY)
    latencies = []
    for n in range(taps):
        signals.given.clear()
        started = time.perf_counter()
        os.write(feed, f"{_badge(n)}\n".encode())
        if not signals.given.wait(5):
            raise RuntimeError(f"no feedback for tap {n}")
        latencies.append((signals.accepted_at[-1] - started) * 1000)
        time.sleep(0.005)  # a queue of technicians, not a flood
    os.close(feed)
    kiosk.stop()
    runner.join(10)
    return latencies


def baseline_latencies(folder: Path, inserts: int) -> list[float]:
    db = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE punches (seq INTEGER PRIMARY KEY, id TEXT, payload BLOB)")
    payload = os.urandom(400)
    latencies = []
    for _ in range(inserts):
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO punches (id, payload) VALUES (?, ?)", (str(uuid.uuid4()), payload))
        db.execute("COMMIT")
        latencies.append((time.perf_counter() - started) * 1000)
        time.sleep(0.005)
    db.close()
    return latencies


class _Hub:
    def __init__(self, port: int):
        self.received: set[str] = set()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="bench-hub", protocol=mqtt.MQTTv5)
        self.client.username_pw_set("hub", "hub-pw")
        self.client.on_message = lambda c, u, m: self.received.add(json.loads(m.payload)["id"])
        self.client.on_connect = lambda c, *a: c.subscribe("depotclock/v1/kiosk/+/punch", qos=1)
        self.client.connect("127.0.0.1", port, clean_start=False, properties=session_properties())
        self.client.loop_start()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def drain_seconds(folder: Path, broker: MosquittoProcess, backlog: int) -> float:
    kiosk = _kiosk(folder, broker.port, backlog)
    now = datetime.now(timezone.utc)
    for n in range(backlog):  # technicians badging in while the hub is unreachable
        read = BadgeRead(_badge(n), ReaderFamily.SIMULATED, _badge(n))
        kiosk.handle("tap", Tap(read, time.monotonic(), now + timedelta(milliseconds=n)))
    assert kiosk.journal.backlog() == backlog
    broker.start()
    hub = _Hub(broker.port)
    started = time.perf_counter()
    kiosk.link.start()
    kiosk.forwarder.start()
    while kiosk.journal.backlog():
        time.sleep(0.01)
    acknowledged = time.perf_counter() - started
    deadline = time.monotonic() + 60
    while len(hub.received) < backlog and time.monotonic() < deadline:
        time.sleep(0.01)
    received = time.perf_counter() - started
    if len(hub.received) < backlog:
        raise RuntimeError(f"the hub received {len(hub.received)} of {backlog}")
    print(f"backlog of {backlog}: acknowledged by the broker in {acknowledged:.2f} s, "
          f"all received by the hub in {received:.2f} s ({backlog / received:,.0f} punches/s)")
    kiosk.forwarder.stop()
    kiosk.link.close()
    hub.close()
    return received


def _percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--taps", type=int, default=1000)
    parser.add_argument("--backlog", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=Path(__file__).parents[1]) as tmp:  # the repo's disk
        folder = Path(tmp)
        port = free_port()
        broker = MosquittoProcess(write_broker_files(folder / "broker", port, ACCOUNTS, getpass.getuser()), port)
        broker.start()
        (folder / "taps").mkdir()
        latencies = tap_latencies(folder / "taps", port, args.taps)
        baseline = baseline_latencies(folder, args.taps)
        broker.stop()
        (folder / "drain").mkdir()
        drain = drain_seconds(folder / "drain", broker, args.backlog)
        broker.stop()
    p50, p99 = _percentile(latencies, 50), _percentile(latencies, 99)
    base50, base99 = _percentile(baseline, 50), _percentile(baseline, 99)
    print(f"tap to feedback over {args.taps} taps: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    print(f"bare durable SQLite insert: p50 {base50:.2f} ms, p99 {base99:.2f} ms")
    print(
        f"RESULT p50_ms={p50:.2f} p99_ms={p99:.2f} baseline_p99_ms={base99:.2f} "
        f"ratio={p99 / base99:.2f} backlog={args.backlog} drain_s={drain:.2f}"
    )


if __name__ == "__main__":
    main()
