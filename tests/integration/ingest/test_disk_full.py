"""Ingest on SQLite with a full disk, for real: the database on a 2 MB tmpfs, filled up
(issue 22: ingest exited on `database or disk is full`, its metrics went dark and /readyz
kept answering ready). Ingest stays up, keeps the batch unacknowledged and retries with
backoff, says "disk full" in its metrics, its status and /readyz, and stores everything
once there is room again."""

from __future__ import annotations

import os
import subprocess
import threading
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from depotclock.mosquitto import free_port
from depotclock.mqtt_url import BrokerAddress
from hub.ingest.consumer import IngestConsumer
from hub.ingest.metrics import serve_metrics
from hub.settings import HubSettings
from hub.store.engine import make_engine
from hub.store.migrate import upgrade
from hub.store.models import DeadLetter, Punch
from hub.web import create_app
from tests.integration.ingest.messages import punch
from tests.waiting import eventually

pytestmark = pytest.mark.broker


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 2 MB tmpfs (mounting needs root; the test says why it cannot run otherwise)."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a 2 MB tmpfs needs root")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2M", "tmpfs", str(mount)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(directory: Path) -> Path:
    """A ballast file taking every free byte of the filesystem."""
    ballast = directory / "ballast"
    with ballast.open("wb", buffering=0) as file:
        for chunk in (65536, 4096, 512, 1):
            try:
                while True:
                    file.write(b"\0" * chunk)
            except OSError:
                pass
    return ballast


def _scrape(port: int) -> dict[str, float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    return {sample.name: sample.value for family in text_string_to_metric_families(text)
            for sample in family.samples}


def _count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def test_ingest_waits_out_a_full_disk_and_loses_nothing(broker, small_disk):
    url = f"sqlite:///{small_disk / 'hub.db'}"
    upgrade(url)
    engine = make_engine(url)
    consumer = IngestConsumer(BrokerAddress.from_url(broker.url("hub")), engine, batch_size=500)
    port = free_port()
    serve_metrics(consumer, "127.0.0.1", port)
    web = create_app(HubSettings(database_url=url, mqtt_url=broker.url("hub"), timezone="America/Chicago"),
                     {"TESTING": True, "SECRET_KEY": "test"}).test_client()
    runner = threading.Thread(target=consumer.run, daemon=True)
    runner.start()
    kiosk = broker.client("kiosk-1")
    try:
        assert consumer.subscribed.wait(30)
        for n in range(1, 21):
            kiosk.publish(*punch(n), qos=1)
        assert eventually(lambda: _count(engine, Punch) == 20)
        assert web.get("/readyz").status_code == 200

        ballast = _fill(small_disk)
        for n in range(21, 1021):
            kiosk.publish(*punch(n), qos=1)
        assert eventually(lambda: _scrape(port)["depotclock_ingest_disk_full"] == 1, timeout=60)
        assert consumer.unavailable.disk_full and "database or disk is full" in str(consumer.unavailable)
        assert str(consumer.unavailable).startswith("disk full")
        ready = web.get("/readyz")
        assert ready.status_code == 503 and ready.get_json()["reason"].startswith("disk full")
        assert runner.is_alive() and _scrape(port)["depotclock_ingest_store_unavailable"] == 1

        ballast.unlink()  # room again: ingest carries on by itself
        assert eventually(lambda: _count(engine, Punch) == 1020, timeout=120)
        assert _count(engine, DeadLetter) == 0
        metrics = _scrape(port)
        assert metrics["depotclock_ingest_disk_full"] == 0 and metrics["depotclock_ingest_store_unavailable"] == 0
        assert web.get("/readyz").status_code == 200, web.get("/readyz").get_json()
        assert runner.is_alive()
    finally:
        consumer.stop()
        runner.join(30)
        kiosk.disconnect()
        engine.dispose()
