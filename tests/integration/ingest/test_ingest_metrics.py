"""Ingest's own metrics against a real mosquitto and a real consumer: the counters follow
what was stored after commit, the waiting gauges show what was received but not stored,
and `depotclock hub ingest --metrics-port` serves them."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from depotclock.mosquitto import free_port
from depotclock.mqtt_url import BrokerAddress
from hub.ingest.consumer import IngestConsumer
from hub.ingest.metrics import MetricsError, serve_metrics
from hub.store.engine import make_engine
from tests.integration.ingest.messages import punch
from tests.waiting import eventually

pytestmark = pytest.mark.broker


def _scrape(port: int) -> dict[str, float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    return {sample.name: sample.value for family in text_string_to_metric_families(text)
            for sample in family.samples if not sample.name.endswith("_created")}


def test_counters_follow_what_the_consumer_stored(broker, migrated_url):
    engine = make_engine(migrated_url)
    consumer = IngestConsumer(BrokerAddress.from_url(broker.url("hub")), engine)
    port = free_port()
    server = serve_metrics(consumer, "127.0.0.1", port)
    assert _scrape(port)["depotclock_ingest_broker_connected"] == 0  # not started yet
    runner = threading.Thread(target=consumer.run, daemon=True)
    runner.start()
    assert consumer.subscribed.wait(30)
    kiosk = broker.client("kiosk-1")
    messages = [punch(n) for n in range(1, 41)]
    for topic, payload in messages + messages[:5]:
        kiosk.publish(topic, payload, qos=1)
    kiosk.publish(messages[0][0], b"garbage", qos=1).wait_for_publish(5)
    try:
        assert eventually(lambda: _scrape(port)["depotclock_ingest_dead_letters_total"] == 1
                     and _scrape(port)["depotclock_ingest_duplicates_total"] == 5)
        metrics = _scrape(port)
        assert metrics["depotclock_ingest_stored_total"] == 40 == consumer.totals.stored
        assert metrics["depotclock_ingest_legs_built_total"] == 0
        assert metrics["depotclock_ingest_broker_connected"] == 1 and metrics["depotclock_ingest_subscribed"] == 1
        assert metrics["depotclock_ingest_waiting_messages"] == 0  # all stored
        assert metrics["depotclock_ingest_oldest_waiting_seconds"] == 0
    finally:
        consumer.stop()
        runner.join(10)
        kiosk.disconnect()
        server.shutdown()
        engine.dispose()


def test_messages_received_but_not_stored_show_as_waiting(broker, migrated_url):
    """The consumer's network side runs (connected, subscribed) but its storing loop does
    not: what arrives waits, and the gauges say how many and for how long."""
    engine = make_engine(migrated_url)
    consumer = IngestConsumer(BrokerAddress.from_url(broker.url("hub")), engine, store_processes=0)
    port = free_port()
    server = serve_metrics(consumer, "127.0.0.1", port)
    consumer.client.start()
    kiosk = None
    try:
        assert consumer.subscribed.wait(30)
        kiosk = broker.client("kiosk-1")
        for topic, payload in [punch(n) for n in range(1, 8)]:
            kiosk.publish(topic, payload, qos=1)
        assert eventually(lambda: _scrape(port)["depotclock_ingest_waiting_messages"] == 7)
        time.sleep(1.1)
        metrics = _scrape(port)
        assert 1.0 <= metrics["depotclock_ingest_oldest_waiting_seconds"] < 60
        assert metrics["depotclock_ingest_stored_total"] == 0
    finally:
        consumer.client.stop()
        if kiosk:
            kiosk.disconnect()
        server.shutdown()
        engine.dispose()


def test_a_taken_port_is_a_clear_error(broker, migrated_url):
    engine = make_engine(migrated_url)
    consumer = IngestConsumer(BrokerAddress.from_url(broker.url("hub")), engine, store_processes=0)
    port = free_port()
    server = serve_metrics(consumer, "127.0.0.1", port)
    try:
        with pytest.raises(MetricsError, match=f"127.0.0.1:{port}.*ingest_metrics_port"):
            serve_metrics(consumer, "127.0.0.1", port)
    finally:
        server.shutdown()
        engine.dispose()


def test_the_ingest_command_serves_metrics(broker, migrated_url, tmp_path):
    port = free_port()
    config = tmp_path / "hub.toml"
    config.write_text(f'database_url = "{migrated_url}"\nmqtt_url = "{broker.url("hub")}"\n'
                      f'[monitoring]\ningest_metrics_port = {free_port()}\n')  # the option wins
    command = [sys.executable, "-m", "depotclock.cli", "hub", "--config", str(config), "ingest",
               "--metrics-port", str(port)]
    ingest = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    kiosk = None
    try:
        assert eventually(lambda: _answers(port) and _scrape(port)["depotclock_ingest_subscribed"] == 1)
        kiosk = broker.client("kiosk-1")
        for topic, payload in [punch(n) for n in range(1, 11)]:
            kiosk.publish(topic, payload, qos=1)
        assert eventually(lambda: _scrape(port)["depotclock_ingest_stored_total"] == 10)
    finally:
        ingest.terminate()
        ingest.wait(10)
        if kiosk:
            kiosk.disconnect()


def _answers(port: int) -> bool:
    try:
        _scrape(port)
    except OSError:
        return False
    return True
