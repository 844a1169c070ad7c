"""The ingest process against a real mosquitto: exactly once into the store, even when the
ingest process is SIGKILLed mid-stream and restarted."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading

import pytest
from sqlalchemy import func, select

from depotclock.mqtt_url import BrokerAddress
from hub.ingest.consumer import IngestConsumer
from hub.store.engine import make_engine
from hub.store.models import DeadLetter, DriveLeg, Punch, TelemetryEvent
from tests.integration.ingest.company import enroll_company
from tests.integration.ingest.messages import punch
from tests.integration.ingest.test_drive_legs import _legs, _messages
from tests.integration.systemd.service_manager import ServiceManager
from tests.unit.ingest.drives import recorded_day
from tests.waiting import eventually

pytestmark = pytest.mark.broker


def _count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def test_consumer_stores_each_message_once(broker, migrated_url):
    engine = make_engine(migrated_url)
    consumer = IngestConsumer(BrokerAddress.from_url(broker.url("hub")), engine)
    runner = threading.Thread(target=consumer.run, daemon=True)
    runner.start()
    assert consumer.subscribed.wait(30)
    kiosk = broker.client("kiosk-1")
    messages = [punch(n) for n in range(1, 201)]
    for topic, payload in messages + messages[:50]:  # a reconnecting kiosk sends some twice
        kiosk.publish(topic, payload, qos=1)
    kiosk.publish(messages[0][0], b"garbage", qos=1).wait_for_publish(5)
    assert eventually(lambda: _count(engine, Punch) == 200 and _count(engine, DeadLetter) == 1)
    assert eventually(lambda: consumer.totals.duplicates == 50), consumer.totals  # counted after commit
    consumer.stop()
    runner.join(5)
    kiosk.disconnect()
    engine.dispose()


def test_ingest_killed_mid_stream_and_restarted_stores_exactly_once(broker, migrated_url, tmp_path):
    config = tmp_path / "hub.toml"
    config.write_text(f'database_url = "{migrated_url}"\nmqtt_url = "{broker.url("hub")}"\n')
    command = [sys.executable, "-m", "depotclock.cli", "hub", "--config", str(config), "ingest"]
    manager = ServiceManager(watchdog_s=30)  # READY=1 once the broker granted the subscriptions
    ingest = subprocess.Popen(command, stderr=subprocess.DEVNULL, env=manager.environment())
    engine = make_engine(migrated_url)
    manager.wait_for("READY", process=ingest)
    manager.close()
    kiosk = broker.client("kiosk-1")
    messages = [punch(n) for n in range(1, 1001)]
    for index, (topic, payload) in enumerate(messages):
        kiosk.publish(topic, payload, qos=1)
        if index == 400:
            os.kill(ingest.pid, signal.SIGKILL)
            ingest.wait()
    kiosk.publish(*messages[-1], qos=1).wait_for_publish(5)
    ingest = subprocess.Popen(command, stderr=subprocess.DEVNULL)  # its session kept the rest
    try:
        assert eventually(lambda: _count(engine, Punch) == 1000, 60), _count(engine, Punch)
    finally:
        ingest.terminate()
        ingest.wait(10)
        kiosk.disconnect()
        engine.dispose()


def test_a_fleet_split_across_the_store_processes_gets_the_legs_of_one_build(broker, migrated_url):
    """On PostgreSQL two store processes each take a share of the vans; whatever the share
    and the order of arrival, every item is stored once and each van's legs are those of
    its day built in one go."""
    engine = make_engine(migrated_url)
    vans = [f"van-{n}" for n in range(1, 7)]
    enroll_company(engine, vans=dict.fromkeys(vans, "ignition"))
    days = [recorded_day(seed=n, driver=None) for n in range(len(vans))]  # the same day, own ids
    messages = [m for van, day in zip(vans, days) for m in _messages(van, day, 7)]
    rng = random.Random(3)
    messages += rng.sample(messages, 40)  # redelivered
    rng.shuffle(messages)
    consumer = IngestConsumer(BrokerAddress.from_url(broker.url("hub")), engine, batch_size=50)
    runner = threading.Thread(target=consumer.run, daemon=True)
    runner.start()
    assert consumer.subscribed.wait(30)
    fleet = broker.client("hub")
    for topic, payload in messages:
        fleet.publish(topic, payload, qos=1)
    fleet.publish(*messages[0], qos=1).wait_for_publish(10)
    try:
        assert eventually(lambda: _count(engine, TelemetryEvent) == sum(map(len, days)), 60)
        assert eventually(lambda: _count(engine, DriveLeg) == 2 * len(vans), 30)
        legs = [_legs(engine, van) for van in vans]
        assert [leg[7:11] for leg in legs[0]] == [("depot", "north", "site", "WO-7"), ("site", "WO-7", "depot", "north")]
        assert all(van_legs == legs[0] for van_legs in legs)
    finally:
        consumer.stop()
        runner.join(10)
        fleet.disconnect()
        engine.dispose()
