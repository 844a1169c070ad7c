"""Scale-out (docs/scaling.md): two `depotclock hub ingest` processes on PostgreSQL share
one subscription; one is SIGKILLed mid-load, the other carries on, and once the killed one
is back every message is stored exactly once, invalid ones as dead letters; the web, two
gunicorn workers, serves what they stored.

Mosquitto hands a shared subscription's messages round-robin to every session in the
group, connected or not: while a persistent ingest session is away, its share queues in
that session (MQTT 5, 4.8.2: the server MAY wait for the client to reconnect). Restarting
the process under the same --client-id (systemd's Restart=) delivers them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import URLError
from urllib.request import Request, urlopen

import paho.mqtt.client as mqtt
import pytest
from click.testing import CliRunner
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import func, insert, select

from depotclock.cli import main
from depotclock.mosquitto import free_port
from hub.ingest.consumer import READY
from hub.store.engine import make_engine
from hub.store.models import DeadLetter, Punch, TelemetryEvent, UserDepot
from tests.integration.ingest.company import enroll_company
from tests.integration.ingest.messages import punch, telemetry, telemetry_items
from tests.waiting import eventually

pytestmark = [pytest.mark.broker, pytest.mark.postgres]

PUNCHES, BATCHES, ITEMS, INVALID = 2000, 1000, 5, 20  # punches: badge DEADBEEF, T-100

def _device(broker, username: str) -> mqtt.Client:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=username, protocol=mqtt.MQTTv5)
    client.username_pw_set(username, broker.accounts[username].password)
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    return client


class Ingest:
    """One `depotclock hub ingest --shared` process, its log in a file."""

    def __init__(self, config: Path, client_id: str, log: Path):
        self.command = [sys.executable, "-m", "depotclock.cli", "hub", "--config", str(config),
                        "ingest", "--shared", "ingest", "--client-id", client_id]
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> Ingest:
        self.log.write_text("")
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(self.command, stdout=output, stderr=subprocess.STDOUT)
        assert eventually(lambda: READY in self.log.read_text(), 60), self.log.read_text()
        return self

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)


def _settled(read, quiet_s: float = 3.0) -> int:
    """The value once it has stopped changing for `quiet_s`."""
    value, since = read(), time.monotonic()
    while time.monotonic() - since < quiet_s:
        time.sleep(0.5)
        now = read()
        if now != value:
            value, since = now, time.monotonic()
    return value


def _messages() -> list[tuple[str, str, bytes]]:
    """(device, topic, payload): punches, telemetry batches and invalid messages, mixed."""
    punches = [("kiosk-1", *punch(n)) for n in range(1, PUNCHES + 1)]
    batches = [("van-1", *telemetry(telemetry_items(ITEMS))) for _ in range(BATCHES)]
    invalid = [("kiosk-1", punches[0][1], f"not json {n}".encode()) for n in range(INVALID)]
    mixed = []
    for n in range(PUNCHES):
        mixed.append(punches[n])
        if n % 2:
            mixed.append(batches[n // 2])
        if n % (PUNCHES // INVALID) == 0:
            mixed.append(invalid[n // (PUNCHES // INVALID)])
    return mixed


def test_two_shared_ingest_processes_one_killed_mid_load_store_each_message_once(
    broker, postgres_databases, tmp_path
):
    url = postgres_databases.migrated()
    engine = make_engine(url)
    enroll_company(engine)
    with engine.begin() as connection:  # the company's payroll user, for the API
        connection.execute(insert(UserDepot).values(user_id=1, depot_id="north"))
    config = tmp_path / "hub.toml"
    config.write_text(f'database_url = "{url}"\nmqtt_url = "{broker.url("hub")}"\n')
    first = Ingest(config, "hub-ingest-1", tmp_path / "ingest-1.log").start()
    second = Ingest(config, "hub-ingest-2", tmp_path / "ingest-2.log").start()

    def count(model) -> int:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(model))

    devices = {name: _device(broker, name) for name in ("kiosk-1", "van-1")}
    messages = _messages()
    resent = messages[: len(messages) // 10]  # a device that reconnected sends some again
    try:
        last = {}
        for index, (device, topic, payload) in enumerate(messages + resent):
            last[device] = devices[device].publish(topic, payload, qos=1)
            if index == len(messages) // 3:  # both are storing, with more in flight
                assert eventually(lambda: count(Punch) >= PUNCHES // 10, 60)
                first.kill()
                at_kill = count(Punch)
        for sent in last.values():
            sent.wait_for_publish(60)

        # The survivor carries on alone; the killed one's share waits in its session.
        assert eventually(lambda: count(Punch) > at_kill + PUNCHES // 5, 120), (at_kill, count(Punch))
        alone = _settled(lambda: count(Punch))
        assert alone < PUNCHES, "mosquitto gave the survivor the dead session's share: see docs/scaling.md"
        first.start()  # same client id: its session's queued share is delivered
        assert eventually(lambda: count(Punch) == PUNCHES and count(TelemetryEvent) == BATCHES * ITEMS, 180), (
            count(Punch), count(TelemetryEvent))
        assert eventually(lambda: count(DeadLetter) >= INVALID, 60)
        assert (_settled(lambda: count(Punch)), count(TelemetryEvent)) == (PUNCHES, BATCHES * ITEMS)
        with engine.connect() as connection:
            dead = set(connection.scalars(select(DeadLetter.payload)))
        assert dead == {f"not json {n}".encode() for n in range(INVALID)}
        assert _punches_served_by_two_web_workers(config, tmp_path) == [PUNCHES] * 4
    finally:
        for client in devices.values():
            client.disconnect()
        first.stop()
        second.stop()
        engine.dispose()


def _punches_served_by_two_web_workers(config: Path, tmp_path: Path) -> list[int]:
    """T-100's punches, as `depotclock hub serve --workers 2` answers four API requests."""
    token = CliRunner().invoke(main, ["hub", "--config", str(config), "create-token", "payroll"])
    assert token.exit_code == 0, token.output
    port = free_port()
    with (tmp_path / "web.log").open("ab") as output:
        web = subprocess.Popen([sys.executable, "-m", "depotclock.cli", "hub", "--config", str(config),
                                "serve", "--port", str(port), "--workers", "2"],
                               stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def get(path: str, headers: dict[str, str] | None = None) -> dict:
        with urlopen(Request(base + path, headers=headers or {}), timeout=30) as answer:
            return json.load(answer)

    def ready() -> bool:
        try:
            return get("/readyz")["status"] == "ready"
        except URLError:
            return False

    try:
        assert eventually(ready, 60), (tmp_path / "web.log").read_text()
        path = "/api/v1/events?technician_id=T-100&start=2026-03-02&end=2026-03-04"
        answers = [get(path, {"Authorization": f"Bearer {token.output.strip()}"}) for _ in range(4)]
        return [sum(e["kind"] == "punch" for e in answer["events"]) for answer in answers]
    finally:
        web.terminate()
        web.wait(20)
