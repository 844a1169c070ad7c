"""Which subscriber the consumer receives with: the buffered fast path only on the paho
versions its contract tests passed on (it leans on paho's internals), else stock paho,
and the log says so."""

from __future__ import annotations

import logging

import pytest

from depotclock.mqtt_url import BrokerAddress
from hub.ingest.buffered_client import BufferedSubscriber, verified_on
from hub.ingest.consumer import make_subscriber
from hub.ingest.subscriber import PahoSubscriber, SessionEvents

ADDRESS = BrokerAddress.from_url("mqtt://hub:secret@127.0.0.1:1883")
EVENTS = SessionEvents(connected=lambda: None, subscribed=lambda refused: None,
                       unsubscribed=lambda: None, message=lambda message: None)


@pytest.mark.parametrize(("version", "verified"), [
    ("2.2.0", True), ("2.2.1", True), ("2.1.0", False), ("2.3.0", False), ("3.0.0", False), ("2.20.0", False),
])
def test_the_fast_path_is_verified_on_these_paho_versions(version, verified):
    assert verified_on(version) is verified


def test_a_verified_paho_gets_the_fast_path(caplog):
    with caplog.at_level(logging.WARNING):
        subscriber = make_subscriber(ADDRESS, "hub-ingest", EVENTS, paho_version="2.2.0")
    assert type(subscriber) is BufferedSubscriber
    assert caplog.text == ""


def test_another_paho_gets_stock_paho_and_the_log_says_so(caplog):
    with caplog.at_level(logging.WARNING):
        subscriber = make_subscriber(ADDRESS, "hub-ingest", EVENTS, paho_version="2.3.0")
    assert type(subscriber) is PahoSubscriber
    assert "paho-mqtt 2.3.0: the fast receive path is not verified on it; receiving with stock paho" in caplog.text
