"""Issue 20, item 2: fixes dated 2035 were stored and a van's "last seen" stuck there. An
item or status dated further ahead of its arrival at the broker than the tolerance
(IngestSettings.future_tolerance_s, ten minutes by default) is a dead letter; the batch's
other items are stored and the van is told both (its receipt); "last seen" neither leaps
years ahead nor goes back."""

from __future__ import annotations

import queue
import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from depotclock.mqtt_url import BrokerAddress
from depotclock.wire.codec import encode, parse_receipt
from depotclock.wire.messages import DeviceState, Fix, VehicleStatus
from depotclock.wire.topics import receipt_topic, vehicle_topic
from hub.ingest.consumer import IngestConsumer
from hub.ingest.store_batch import IntakePolicy, Received, store_batch
from hub.store.engine import make_engine
from hub.store.models import DeadLetter, DeviceStatus, TelemetryEvent
from tests.integration.ingest.messages import telemetry

ARRIVED = datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)  # the broker's receive time
YEAR_2035 = datetime(2035, 3, 2, 13, 0, tzinfo=timezone.utc)


@pytest.fixture
def engine(migrated_url):
    engine = make_engine(migrated_url)
    yield engine
    engine.dispose()


def _fix(seq: int, at: datetime) -> Fix:
    return Fix(id=uuid.uuid4(), seq=seq, at=at, lat=41.9, lon=-87.6, speed_kmh=30.0)


def _status(at: datetime) -> tuple[str, bytes]:
    status = VehicleStatus(id=uuid.uuid4(), device="van-1", seq=1, at=at, state=DeviceState.ONLINE)
    return vehicle_topic("van-1", "status"), encode(status)


def _last_seen(engine) -> datetime:
    with engine.connect() as connection:
        return connection.scalar(select(DeviceStatus.last_seen))


def test_a_fix_dated_2035_is_a_dead_letter_and_its_batch_is_stored(engine):
    items = [_fix(1, ARRIVED - timedelta(minutes=2)), _fix(2, YEAR_2035),
             _fix(3, ARRIVED + timedelta(minutes=9))]  # a clock 9 minutes fast is within tolerance
    outcome = store_batch(engine, [Received(*telemetry(items), ARRIVED)], now=ARRIVED)
    assert (outcome.stored, outcome.dead_letters) == (2, 1)
    with engine.connect() as connection:
        assert sorted(connection.scalars(select(TelemetryEvent.seq))) == [1, 3]
        reason = connection.scalar(select(DeadLetter.reason))
    assert reason.startswith("telemetry: items.1.at: 2035-03-02T13:00:00+00:00 is 9.0 years ahead of its arrival")
    [receipt] = outcome.receipts
    assert [(first, last) for first, last, _ in receipt.stored] == [(1, 1), (3, 3)]
    assert [(first, last) for first, last, _ in receipt.dead_letters] == [(2, 2)]


def test_the_tolerance_is_a_setting(engine):
    items = [_fix(1, ARRIVED + timedelta(minutes=9))]
    outcome = store_batch(engine, [Received(*telemetry(items), ARRIVED)], now=ARRIVED,
                          policy=IntakePolicy(future_tolerance_s=60))
    assert (outcome.stored, outcome.dead_letters) == (0, 1)


def test_last_seen_neither_leaps_years_ahead_nor_goes_back(engine):
    store_batch(engine, [Received(*_status(ARRIVED), ARRIVED)], now=ARRIVED)
    outcome = store_batch(engine, [Received(*_status(YEAR_2035), ARRIVED + timedelta(minutes=1))])
    assert outcome.dead_letters == 1 and "vehicle_status: at: 2035-03-02" in outcome.reasons[0]
    assert _last_seen(engine) == ARRIVED
    later = ARRIVED + timedelta(minutes=5)
    store_batch(engine, [Received(*_status(later), later)])
    store_batch(engine, [Received(*_status(ARRIVED + timedelta(minutes=3)), later)])  # late: older
    assert _last_seen(engine) == later


def test_a_status_stuck_in_2035_before_the_hub_refused_them_gives_way(engine):
    stuck = IntakePolicy(future_tolerance_s=20 * 365 * 86400)  # as if there were no tolerance
    store_batch(engine, [Received(*_status(YEAR_2035), ARRIVED)], policy=stuck)
    assert _last_seen(engine) == YEAR_2035
    later = ARRIVED + timedelta(minutes=5)
    store_batch(engine, [Received(*_status(later), later)])
    assert _last_seen(engine) == later


@pytest.mark.broker
def test_through_the_broker_the_van_is_told_which_item_was_refused(broker, migrated_url):
    """Weighed against the broker's receive time: the real clock's now."""
    engine = make_engine(migrated_url)
    consumer = IngestConsumer(BrokerAddress.from_url(broker.url("hub")), engine)
    runner = threading.Thread(target=consumer.run, daemon=True)
    runner.start()
    assert consumer.subscribed.wait(30)
    van = broker.client("van-1")
    receipts: queue.Queue = queue.Queue()
    van.on_message = lambda client, userdata, message: receipts.put(parse_receipt(message.payload))
    subscribed = threading.Event()
    van.on_subscribe = lambda *args: subscribed.set()
    van.subscribe(receipt_topic("vehicle", "van-1"), qos=1)
    assert subscribed.wait(10)
    now = datetime.now(timezone.utc)
    van.publish(*telemetry([_fix(1, now), _fix(2, YEAR_2035)]), qos=1).wait_for_publish(5)
    receipt = receipts.get(timeout=30)
    consumer.stop()
    runner.join(5)
    van.disconnect()
    assert [(r.first, r.last) for r in receipt.stored] == [(1, 1)]
    assert [(r.first, r.last) for r in receipt.dead_letters] == [(2, 2)]
    with engine.connect() as connection:
        assert list(connection.scalars(select(TelemetryEvent.seq))) == [1]
    engine.dispose()
