"""Hub ingest rate against the raw broker drain rate, on the same queued messages.

For each run, a persistent session is created, N telemetry messages (5 items each) are
queued for it on a real mosquitto of its own, and the consumer is started: a bare paho
subscriber that only counts (the limit: a standard client taking messages off the
broker and nothing else), the same on the hub's own receive client (which decodes a
plain PUBLISH itself and acknowledges in bulk, so it drains an order of magnitude
faster: about what mosquitto can deliver), the hub's ingest into SQLite, into
PostgreSQL, and two ingest processes on a shared subscription into PostgreSQL.
RESULT's ratio is against the bare paho subscriber, `hub_client_ratio` against the
hub's client.

The messages are a fleet's: 20 vans (2 without an ignition wire) each driving recorded
days (yard idling, a fuel stop, a tunnel, a site, back), interleaved as they would
arrive. The vans are known to the hub, so ingest builds their drive legs as it goes.

Each run also says where the CPU went, in microseconds per message: the broker, this
process (the MQTT receive thread), the store processes, and the PostgreSQL backends
serving them; on a 2-core machine 20,000 messages/s leave 100 us of CPU per message for
all of them together.

Run: .venv/bin/python bench/ingest.py [--messages N] [--runs drain,hub_client,sqlite,pg,shared2]
"""

from __future__ import annotations

import argparse
import getpass
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
import psycopg
from sqlalchemy import func, select

from depotclock.mosquitto import MosquittoProcess, free_port
from depotclock.mqtt_client import make_client, session_properties
from depotclock.mqtt_url import BrokerAddress
from hub.broker.mosquitto_files import BrokerAccount, write_broker_files
from hub.ingest.buffered_client import BufferedClient
from hub.ingest.consumer import READY, IngestConsumer
from hub.store.engine import make_engine
from hub.store.migrate import upgrade
from hub.store.models import DriveLeg, TelemetryEvent

sys.path.insert(0, str(Path(__file__).parents[1]))  # the message builders the tests use
from depotclock.wire.codec import encode  # noqa: E402
from depotclock.wire.messages import Telemetry  # noqa: E402
from depotclock.wire.topics import vehicle_topic  # noqa: E402
from tests.integration.ingest.company import enroll_company  # noqa: E402
from tests.unit.ingest.drives import T0, recorded_day  # noqa: E402

ITEMS = 5
VANS, UNWIRED = 20, 2
PG = "postgresql://postgres@127.0.0.1:5432"
ACCOUNTS = [BrokerAccount("hub", "hub-pw", "hub")]


def fleet_messages(count: int) -> list[tuple[str, bytes]]:
    """`count` telemetry messages of ITEMS items from VANS vans, interleaved in time."""
    streams = []
    for van in range(VANS):
        items, day = [], 0
        while len(items) < count // VANS * ITEMS:
            items += recorded_day(van >= UNWIRED, seed=van * 1000 + day, start=T0 + timedelta(days=day))
            day += 1
        items = items[: count // VANS * ITEMS]
        device = f"van-{van + 1}"
        streams.append([
            (vehicle_topic(device, "telemetry"), encode(Telemetry(
                id=uuid.uuid4(), device=device, seq=n, at=items[n + ITEMS - 1].at,
                items=tuple(items[n:n + ITEMS]))))
            for n in range(0, len(items), ITEMS)
        ])
    return [message for round_ in zip(*streams, strict=True) for message in round_]


def enroll(url: str) -> None:
    engine = make_engine(url)
    enroll_company(engine, vans={f"van-{n + 1}": "ignition" if n >= UNWIRED else "motion" for n in range(VANS)})
    engine.dispose()


class CpuMeter:
    """CPU seconds (user + system) spent by processes between `start` and `stop`, from
    /proc, so the figures hold however busy the rest of the machine is."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self._before: dict[str, float] = {}

    @classmethod
    def seconds(cls, pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / cls.TICK

    def start(self, groups: dict[str, list[int]]) -> None:
        self._before = {name: sum(map(self.seconds, pids)) for name, pids in groups.items()}

    def stop(self, groups: dict[str, list[int]]) -> None:
        for name, pids in groups.items():
            self.spent[name] = sum(map(self.seconds, pids)) - self._before.get(name, 0.0)

    def per_message(self, messages: int) -> str:
        parts = [f"{name} {seconds / messages * 1e6:.0f}" for name, seconds in self.spent.items()]
        total = sum(self.spent.values()) / messages * 1e6
        return f"CPU us/msg: {', '.join(parts)}; all {total:.0f}"


def _backends(url: str) -> list[int]:
    """The PostgreSQL server processes connected to the bench's database."""
    if not url.startswith("postgresql"):
        return []
    with psycopg.connect(url, autocommit=True) as connection:
        return [pid for (pid,) in connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")]


def _client(port: int, login: str, kind: type[mqtt.Client] = BufferedClient) -> mqtt.Client:
    """A client logged in as `login` (the hub account or one of its ingest logins; the
    broker takes it as client id too): the hub's own kind unless told otherwise."""
    address = BrokerAddress.from_url(f"mqtt://{login}:hub-pw@127.0.0.1:{port}")
    return make_client(address, login, max_inflight=1000, kind=kind)


def _create_session(port: int, login: str, topic_filter: str) -> None:
    client = _client(port, login)
    done = threading.Event()
    client.on_subscribe = lambda *a: done.set()
    client.on_connect = lambda c, *a: c.subscribe(topic_filter, qos=1)
    client.connect("127.0.0.1", port, clean_start=True, properties=session_properties())
    client.loop_start()
    done.wait(10)
    client.disconnect()
    client.loop_stop()


def _queue(port: int, payloads: list[tuple[str, bytes]]) -> None:
    """Queue the fleet's messages (through the hub's account, which may write anywhere)."""
    client = _client(port, "hub")
    client.connect("127.0.0.1", port)
    client.loop_start()
    infos = [client.publish(topic, payload, qos=1) for topic, payload in payloads]
    for info in infos:
        info.wait_for_publish(30)
    client.disconnect()
    client.loop_stop()


def drain_rate(port: int, payloads, broker: int, meter: CpuMeter, kind: type[mqtt.Client] = BufferedClient) -> float:
    _create_session(port, "hub-ingest-1", "depotclock/v1/vehicle/+/telemetry")
    _queue(port, payloads)
    client = _client(port, "hub-ingest-1", kind)
    received, done = [0], threading.Event()

    def on_message(*_):
        received[0] += 1
        if received[0] == len(payloads):
            done.set()

    client.on_message = on_message
    groups = {"broker": [broker], "receive": [os.getpid()]}
    meter.start(groups)
    started = time.perf_counter()
    client.connect("127.0.0.1", port, clean_start=False, properties=session_properties())
    client.loop_start()
    done.wait(300)
    seconds = time.perf_counter() - started
    meter.stop(groups)
    client.disconnect()
    client.loop_stop()
    return len(payloads) / seconds


def _stored(url: str, model=TelemetryEvent) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(model))
    engine.dispose()
    return count


def ingest_rate(port: int, url: str, payloads, broker: int, meter: CpuMeter) -> float:
    address = BrokerAddress.from_url(f"mqtt://hub:hub-pw@127.0.0.1:{port}")
    engine = make_engine(url)
    consumer = IngestConsumer(address, engine, client_id="hub-ingest")
    for topic_filter in consumer._filters:
        _create_session(port, "hub-ingest", topic_filter)
    _queue(port, payloads)
    stores = [store.process.pid for store in consumer.stores if hasattr(store, "process")]
    groups = {"broker": [broker], "receive": [os.getpid()], "store": stores}
    meter.start(groups)
    started = time.perf_counter()
    runner = threading.Thread(target=consumer.run, daemon=True)
    runner.start()
    while consumer.totals.stored + consumer.totals.duplicates < len(payloads) * ITEMS:
        time.sleep(0.02)  # counted in memory, so the waiting costs the database nothing
    seconds = time.perf_counter() - started
    meter.stop({**groups, "postgres": _backends(url)})
    consumer.stop()
    runner.join(10)
    engine.dispose()
    return len(payloads) / seconds


def shared_rate(port: int, url: str, payloads, workdir: Path) -> float:
    config = workdir / "hub.toml"
    config.write_text(f'database_url = "{url}"\nmqtt_url = "mqtt://hub:hub-pw@127.0.0.1:{port}"\n')
    command = [sys.executable, "-m", "depotclock.cli", "hub", "--config", str(config), "ingest", "--shared", "bench"]

    def start(n: int) -> tuple[subprocess.Popen, Path]:
        log = workdir / f"ingest-{n}.log"
        log.write_text("")
        process = subprocess.Popen([*command, "--client-id", f"hub-ingest-{n}"], stderr=log.open("w"))
        while READY not in log.read_text():
            time.sleep(0.05)
        return process, log

    first = [start(n) for n in (1, 2)]  # create both sessions, then stop
    for process, _ in first:
        process.terminate()
        process.wait(10)
    _queue(port, payloads)
    workers = [subprocess.Popen([*command, "--client-id", f"hub-ingest-{n}"], stderr=subprocess.DEVNULL)
               for n in (1, 2)]
    # Timed from the first stored item, as the single consumer is timed once it runs: the
    # processes' start (imports, store processes) is not ingest.
    engine = make_engine(url)
    first_at, first_stored, stored = time.perf_counter(), 0, 0
    with engine.connect() as connection:  # one connection, polled
        while stored < len(payloads) * ITEMS:
            time.sleep(0.05)
            stored = connection.scalar(select(func.count()).select_from(TelemetryEvent))
            connection.commit()
            if not first_stored and stored:
                first_at, first_stored = time.perf_counter(), stored
    seconds = time.perf_counter() - first_at
    engine.dispose()
    for process in workers:
        process.terminate()
        process.wait(10)
    return (len(payloads) * ITEMS - first_stored) / ITEMS / seconds


def _pg_database() -> str:
    name = f"depotclock_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = f"{PG}/{name}"
    upgrade(url)
    enroll(url)
    return url


def _drop(url: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


RUNS = ("drain", "hub_client", "sqlite", "pg", "shared2")
LABELS = {"drain": "bare paho drain", "hub_client": "drain, hub's client", "sqlite": "ingest into SQLite",
          "pg": "ingest into PostgreSQL", "shared2": "2 shared ingest, PG"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=60000,
                        help="enough for ingest to run a few seconds past its start (the broker "
                             "opens its window of unacknowledged messages as acks come in)")
    parser.add_argument("--runs", default=",".join(RUNS), help="which of " + ",".join(RUNS) + " (RESULT needs all)")
    args = parser.parse_args()
    runs = [run for run in RUNS if run in args.runs.split(",")]
    payloads = fleet_messages(args.messages)
    rates: dict[str, float] = {}
    meters = {run: CpuMeter() for run in runs}
    legs: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        pg_urls = []
        for run in runs:
            # A broker of its own per run: one that served earlier runs costs more (it
            # rewrites its whole store to disk every autosave), which the order would decide.
            port = free_port()
            conf = write_broker_files(workdir / f"broker-{run}", port, ACCOUNTS, run_as=getpass.getuser())
            with MosquittoProcess(conf, port) as broker:
                broker_pid = broker._process.pid
                if run in ("drain", "hub_client"):
                    kind = mqtt.Client if run == "drain" else BufferedClient
                    rates[run] = drain_rate(port, payloads, broker_pid, meters[run], kind)
                    continue
                if run == "sqlite":
                    url = f"sqlite:///{workdir / 'hub.db'}"
                    upgrade(url)
                    enroll(url)
                else:
                    url = _pg_database()
                    pg_urls.append(url)
                if run == "shared2":
                    rates[run] = shared_rate(port, url, payloads, workdir)
                else:
                    rates[run] = ingest_rate(port, url, payloads, broker_pid, meters[run])
                legs[LABELS[run]] = _stored(url, DriveLeg)
        for url in pg_urls:
            _drop(url)
    print(f"{len(payloads)} telemetry messages of {ITEMS} items each from {VANS} vans, "
          "queued on a real mosquitto")
    print("drive legs built: " + ", ".join(f"{where} {n}" for where, n in legs.items()))
    for run in runs:
        cpu = meters[run].per_message(len(payloads)) if meters[run].spent else ""
        print(f"{LABELS[run]:24}{rates[run]:10,.0f} msgs/s   {cpu}")
    if runs == list(RUNS):
        print(
            f"RESULT sqlite_msgs_per_s={rates['sqlite']:.0f} pg_msgs_per_s={rates['pg']:.0f} "
            f"shared2_msgs_per_s={rates['shared2']:.0f} drain_msgs_per_s={rates['drain']:.0f} "
            f"ratio={rates['pg'] / rates['drain']:.2f} "
            f"hub_client_drain_msgs_per_s={rates['hub_client']:.0f} "
            f"hub_client_ratio={rates['pg'] / rates['hub_client']:.2f}"
        )


if __name__ == "__main__":
    main()
