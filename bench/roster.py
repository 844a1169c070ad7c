"""The kiosks' roster at company size (issue 19: any depot's kiosk takes anyone's punch,
so every depot's roster holds every technician, with their PIN hash): how long the hub
takes to build and publish them all, how big one is, and how long a kiosk takes to take
one in.

A SQLite hub with `--technicians` technicians (a badge, a PIN hash and a clock-in each)
over `--depots` depots. Build: `hub.ingest.rosters.depot_rosters` for every depot (the
store's queries, the pure builder once, a copy per depot). Baseline: the store's queries
alone (`roster_rows`), the floor any builder pays. Publish: each depot's roster encoded and
published retained to a real mosquitto, until a kiosk account subscribed to one depot has
received, parsed and loaded it (`kiosk.roster.RosterBook`).

Run: .venv/bin/python bench/roster.py [--technicians N] [--depots N]
"""

from __future__ import annotations

import argparse
import getpass
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy.orm import Session

from depotclock.mosquitto import MosquittoProcess, free_port
from depotclock.wire.codec import encode, parse_roster
from depotclock.wire.topics import roster_topic
from hub.broker.mosquitto_files import BrokerAccount, write_broker_files
from hub.ingest.rosters import depot_rosters
from hub.services.passwords import hash_pin
from hub.store import roster_rows
from hub.store.engine import make_engine, session_factory
from hub.store.migrate import upgrade
from hub.store.models import Badge, Depot, Punch, Technician
from kiosk.pins import pin_matches
from kiosk.roster import RosterBook

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def seed(url: str, technicians: int, depots: int) -> None:
    pin_hash = hash_pin("246810")  # one hash for all: the same size as each's own
    engine = make_engine(url)
    with session_factory(engine).begin() as s:
        s.add_all(Depot(id=f"d{d}", name=f"Depot {d}", timezone="America/Chicago", lat=41.9, lon=-87.7)
                  for d in range(depots))
        s.flush()
        s.add_all(Technician(id=f"T-{n}", name=f"Technician Number {n}", job_title="Tech", wage=Decimal(30),
                             cost_rate=Decimal(40), billing_rate=Decimal(120), payroll_timezone="America/Chicago",
                             home_depot_id=f"d{n % depots}", pin_hash=pin_hash) for n in range(technicians))
        s.flush()
        s.add_all(Badge(badge_id=f"{0x10000000 + n:08X}", technician_id=f"T-{n}", family="pcsc", raw="x",
                        active_from=NOW - timedelta(days=30)) for n in range(technicians))
        s.add_all(Punch(id=uuid.uuid4(), kiosk_id="k", seq=n, at=NOW - timedelta(hours=2), utc_offset_min=-360,
                        received_at=NOW, badge_id=f"{0x10000000 + n:08X}", badge_family="pcsc", badge_raw="x",
                        action="clock_in", technician_id=f"T-{n}", clock_synced=True, boot="b", monotonic_s=1.0,
                        flags=[]) for n in range(technicians))
    engine.dispose()


def best_of(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--technicians", type=int, default=2000)
    parser.add_argument("--depots", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'hub.db'}"
        upgrade(url)
        seed(url, args.technicians, args.depots)
        engine = make_engine(url)

        def query() -> None:
            with Session(engine) as session:
                roster_rows.roster_rows(session)

        floor = best_of(5, query)
        build = best_of(5, lambda: depot_rosters(engine, None, NOW, 1))
        rosters = depot_rosters(engine, None, NOW, 1)
        payloads = [encode(r) for r in rosters]
        encode_s = best_of(5, lambda: [encode(r) for r in rosters])

        port = free_port()
        accounts = [BrokerAccount("hub", "hub-pw", "hub"), BrokerAccount("kiosk-1", "k-pw", "kiosk", depot="d0")]
        broker = MosquittoProcess(write_broker_files(folder / "broker", port, accounts, getpass.getuser()), port)
        broker.start()
        loaded = threading.Event()
        book = RosterBook()

        def arrived(client, userdata, message) -> None:
            book.load(parse_roster(message.payload))
            loaded.set()

        kiosk = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="kiosk-1", protocol=mqtt.MQTTv5)
        kiosk.username_pw_set("kiosk-1", "k-pw")
        kiosk.on_message = arrived
        subscribed = threading.Event()
        kiosk.on_subscribe = lambda *a: subscribed.set()
        kiosk.on_connect = lambda c, *a: c.subscribe(roster_topic("d0"), qos=1)
        kiosk.connect("127.0.0.1", port)
        kiosk.loop_start()
        subscribed.wait(10)
        hub = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="hub", protocol=mqtt.MQTTv5)
        hub.username_pw_set("hub", "hub-pw")
        hub.connect("127.0.0.1", port)
        hub.loop_start()
        started = time.perf_counter()
        rosters = depot_rosters(engine, None, NOW, 2)
        infos = [hub.publish(roster_topic(r.depot), encode(r), qos=1, retain=True) for r in rosters]
        for info in infos:
            info.wait_for_publish(30)
        published = time.perf_counter() - started
        if not loaded.wait(30):
            raise RuntimeError("the kiosk never got its roster")
        at_kiosk = time.perf_counter() - started
        hub.disconnect()
        kiosk.disconnect()
        hub.loop_stop()
        kiosk.loop_stop()
        broker.stop()
        engine.dispose()
    entry = next(iter(book.entries.values()))
    verify = best_of(5, lambda: pin_matches(entry.pin_hash, "246810"))
    size = len(payloads[0])
    print(f"{args.technicians} technicians, {args.depots} depots: one roster is {size / 1024:.0f} KiB")
    print(f"store queries alone {floor * 1000:.0f} ms; every depot's roster built {build * 1000:.0f} ms, "
          f"encoded {encode_s * 1000:.0f} ms; built, encoded and published {published * 1000:.0f} ms, "
          f"at the kiosk (parsed, loaded) {at_kiosk * 1000:.0f} ms")
    print(f"a kiosk checks one PIN (argon2) in {verify * 1000:.0f} ms on this machine")
    print(f"RESULT technicians={args.technicians} depots={args.depots} roster_kib={size / 1024:.0f} "
          f"build_ms={build * 1000:.0f} query_floor_ms={floor * 1000:.0f} ratio={build / floor:.2f} "
          f"publish_all_ms={published * 1000:.0f} kiosk_loaded_ms={at_kiosk * 1000:.0f} pin_check_ms={verify * 1000:.0f}")


if __name__ == "__main__":
    main()
