"""A device that vanishes shows as offline at the hub: its Last Will, published by a real
mosquitto when the connection dies, goes through the real ingest into the store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from depotclock.mqtt_url import BrokerAddress
from hub.ingest.consumer import IngestConsumer
from hub.store.engine import make_engine
from hub.store.models import DeviceStatus
from tests.fakes.tcp_proxy import CuttableLink
from tests.integration.devicelink.status_device import start_link
from tests.waiting import eventually

pytestmark = pytest.mark.broker


def _stored(engine, device: str) -> DeviceStatus | None:
    with engine.connect() as connection:
        return connection.execute(select(DeviceStatus).where(DeviceStatus.device_id == device)).first()


@pytest.fixture
def ingest(broker, migrated_url):
    engine = make_engine(migrated_url)
    consumer = IngestConsumer(BrokerAddress.from_url(broker.url("hub")), engine)
    runner = threading.Thread(target=consumer.run, daemon=True)
    runner.start()
    assert consumer.subscribed.wait(30)
    yield engine
    consumer.stop()
    runner.join(10)
    engine.dispose()


def test_a_killed_device_is_stored_offline(broker, ingest, tmp_path):
    """The device publishes statuses for a while, then dies without DISCONNECT: the broker
    publishes its will, and the hub stores it offline, seen last about when it died."""
    device = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.devicelink.status_device", broker.url("kiosk-1"), "kiosk-1"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert device.stdout.readline().strip() == "connected"
        time.sleep(2.5)  # a dozen statuses, each newer than the link's creation
        assert eventually(lambda: (row := _stored(ingest, "kiosk-1")) is not None and row.state == "online")
        before_death = _stored(ingest, "kiosk-1").last_seen
    finally:
        os.kill(device.pid, signal.SIGKILL)
        device.wait(10)
    died = datetime.now(timezone.utc)
    assert eventually(lambda: _stored(ingest, "kiosk-1").state == "offline"), "the Last Will was not stored"
    last_seen = _stored(ingest, "kiosk-1").last_seen
    assert before_death <= last_seen
    assert abs((last_seen - died).total_seconds()) < 30  # the broker sent it on the socket's close


def test_a_device_cut_off_then_back_is_offline_then_online(broker, ingest):
    """The cable is pulled (the broker publishes the will) and plugged back (the device
    reconnects and says it is online): the hub follows both."""
    cable = CuttableLink(broker.port)
    url = f"mqtt://kiosk-1:k1-secret@127.0.0.1:{cable.port}"
    link = start_link(url, "kiosk-1")
    try:
        assert link.connected.wait(10)
        time.sleep(1.5)
        link.publish_status()
        assert eventually(lambda: (row := _stored(ingest, "kiosk-1")) is not None and row.state == "online")
        cable.cut()
        assert eventually(lambda: _stored(ingest, "kiosk-1").state == "offline"), "the Last Will was not stored"
        cable.restore()
        assert eventually(lambda: _stored(ingest, "kiosk-1").state == "online"), "the reconnect was not stored"
        time.sleep(1)  # nothing late turns it offline again
        assert _stored(ingest, "kiosk-1").state == "online"
    finally:
        link.close()
        cable.cut()
