"""Scaling down: an ingest client id that will not come back is retired. Its session's
share of a shared subscription is stored, then the session ends, and from then on the
broker hands everything to the processes that remain."""

from __future__ import annotations

import threading
import time

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import func, select

from depotclock.mqtt_url import BrokerAddress
from hub.ingest.consumer import IngestConsumer
from hub.store.engine import make_engine
from hub.store.models import Punch
from tests.integration.ingest.messages import punch

pytestmark = pytest.mark.broker


def _count(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Punch))


def _settled(engine, quiet_s: float = 2.0, timeout: float = 30.0) -> int:
    """The punch count once it stopped changing for `quiet_s`."""
    deadline, last, since = time.monotonic() + timeout, -1, time.monotonic()
    while time.monotonic() < deadline:
        now = _count(engine)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return now
        time.sleep(0.1)
    return _count(engine)


def _session_present(broker, client_id: str) -> bool:
    """Whether the broker still keeps a session for `client_id` (it then says so on connect)."""
    present = threading.Event()
    connected = threading.Event()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.username_pw_set(client_id, "hub-secret")  # logins are client ids

    def on_connect(client, userdata, flags, reason_code, properties):
        if flags.session_present:
            present.set()
        connected.set()

    client.on_connect = on_connect
    client.connect("127.0.0.1", broker.port, clean_start=False)
    client.loop_start()
    assert connected.wait(10)
    client.loop_stop()
    client.disconnect()
    return present.is_set()


def _started(consumer: IngestConsumer) -> threading.Thread:
    runner = threading.Thread(target=consumer.run, daemon=True)
    runner.start()
    return runner


def test_a_retired_member_stores_its_share_and_the_broker_stops_handing_it_any(broker, migrated_url):
    engine = make_engine(migrated_url)
    address = BrokerAddress.from_url(broker.url("hub"))

    def member(client_id: str, retire: bool = False) -> IngestConsumer:
        return IngestConsumer(address, engine, client_id=client_id, shared_group="hub", store_processes=0,
                              retire=retire)

    leaving = member("hub-ingest-2")  # joins the group, then goes away for good
    runner = _started(leaving)
    assert leaving.subscribed.wait(30)
    leaving.stop()
    runner.join(10)
    staying = member("hub-ingest-1")
    runner = _started(staying)
    assert staying.subscribed.wait(30)

    kiosk = broker.client("kiosk-1")
    for n in range(1, 201):
        kiosk.publish(*punch(n), qos=1)
    assert _settled(engine) < 200  # the absent member's share waits in its session

    retiring = member("hub-ingest-2", retire=True)
    retired = _started(retiring)
    retired.join(60)
    assert not retired.is_alive()  # it returned by itself, its session empty
    assert _count(engine) == 200

    for n in range(201, 301):
        kiosk.publish(*punch(n), qos=1).wait_for_publish(5)
    assert _settled(engine) == 300  # none of it kept for ingest-2
    assert not _session_present(broker, "hub-ingest-2")

    staying.stop()
    runner.join(10)
    kiosk.loop_stop()
    kiosk.disconnect()
    engine.dispose()
