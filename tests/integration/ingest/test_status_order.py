"""A Last Will ends its own connection, never a newer one, whatever order the will and the
device's new `online` status reach the store in (hub.ingest.status_order)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from itertools import permutations

import pytest
from sqlalchemy import select

from depotclock.wire.codec import encode
from depotclock.wire.messages import DeviceState, KioskStatus
from depotclock.wire.topics import kiosk_topic
from hub.ingest.store_batch import Received, store_batch
from hub.store.engine import make_engine
from hub.store.models import DeadLetter, DeviceStatus

CHICAGO = timezone(timedelta(hours=-6))
T0 = datetime(2026, 3, 2, 7, 0, tzinfo=CHICAGO)  # the kiosk's clock
HUB_T0 = datetime(2026, 3, 2, 13, 0, 30, tzinfo=timezone.utc)  # the hub's, 30 s ahead
TOPIC = kiosk_topic("kiosk-1", "status")


def _status(at: datetime, connected_at: datetime, online: bool = True, backlog: int = 0) -> bytes:
    return encode(KioskStatus(
        id=uuid.uuid4(), device="kiosk-1", seq=1, at=at, connected_at=connected_at, backlog=backlog,
        state=DeviceState.ONLINE if online else DeviceState.OFFLINE))


def _will(connected_at: datetime) -> bytes:
    return encode(KioskStatus(id=uuid.uuid4(), device="kiosk-1", seq=1, at=connected_at,
                              connected_at=connected_at, lost=True, state=DeviceState.OFFLINE))


def _stored(engine) -> tuple[str, datetime, int]:
    with engine.connect() as connection:
        row = connection.execute(select(DeviceStatus.state, DeviceStatus.last_seen, DeviceStatus.backlog)).one()
    return row.state, row.last_seen, row.backlog


@pytest.fixture
def engine(migrated_url):
    engine = make_engine(migrated_url)
    yield engine
    engine.dispose()


# Connection 1 began at T0; the kiosk said it was online at T0+1 min and T0+5 min; the
# broker gave up on it (the will) when the hub's clock read HUB_T0+10 min; connection 2
# began at T0+11 min and said so.
ONLINE_1 = _status(T0 + timedelta(minutes=1), T0)
ONLINE_1_LATER = _status(T0 + timedelta(minutes=5), T0, backlog=3)
WILL_1 = _will(T0)
ONLINE_2 = _status(T0 + timedelta(minutes=11), T0 + timedelta(minutes=11), backlog=7)
WILL_RECEIVED = HUB_T0 + timedelta(minutes=10)


def test_a_will_ends_its_connection_dated_by_its_arrival(engine):
    store_batch(engine, [Received(TOPIC, ONLINE_1, HUB_T0), Received(TOPIC, ONLINE_1_LATER, HUB_T0)])
    store_batch(engine, [Received(TOPIC, WILL_1, WILL_RECEIVED)])
    assert _stored(engine) == ("offline", WILL_RECEIVED, 0)


@pytest.mark.parametrize("order", list(permutations(["will 1", "online 2"])), ids=" then ".join)
def test_a_stale_will_never_ends_the_newer_connection(engine, order):
    """The kiosk reconnected before the broker gave up on its old connection: its old will
    and its new online status race (a session takeover; stores side by side)."""
    store_batch(engine, [Received(TOPIC, ONLINE_1_LATER, HUB_T0)])
    messages = {"will 1": Received(TOPIC, WILL_1, WILL_RECEIVED),
                "online 2": Received(TOPIC, ONLINE_2, WILL_RECEIVED + timedelta(seconds=1))}
    for name in order:
        store_batch(engine, [messages[name]])
    assert _stored(engine) == ("online", T0 + timedelta(minutes=11), 7)


def test_the_same_race_inside_one_batch(engine):
    store_batch(engine, [Received(TOPIC, ONLINE_2, WILL_RECEIVED + timedelta(seconds=1)),
                         Received(TOPIC, WILL_1, WILL_RECEIVED)])
    assert _stored(engine)[0] == "online"


def test_the_new_connection_wins_over_a_will_dated_by_a_clock_ahead_of_the_device(engine):
    """The hub's clock is ahead of the kiosk's: the new online status is 'older' than the
    will by the clocks, newer by its connection."""
    store_batch(engine, [Received(TOPIC, WILL_1, HUB_T0 + timedelta(hours=1))])
    store_batch(engine, [Received(TOPIC, ONLINE_2, HUB_T0 + timedelta(hours=1, seconds=1))])
    assert _stored(engine)[0] == "online"


def test_a_late_status_of_the_dead_connection_does_not_revive_it(engine):
    store_batch(engine, [Received(TOPIC, WILL_1, WILL_RECEIVED)])
    store_batch(engine, [Received(TOPIC, ONLINE_1_LATER, WILL_RECEIVED)])  # resent after the will
    assert _stored(engine) == ("offline", WILL_RECEIVED, 0)


def test_a_will_delivered_again_keeps_when_it_first_arrived(engine):
    """A restarted hub gets the retained will again: the device was not seen then."""
    store_batch(engine, [Received(TOPIC, WILL_1, WILL_RECEIVED)])
    store_batch(engine, [Received(TOPIC, WILL_1, WILL_RECEIVED + timedelta(hours=3))])
    assert _stored(engine)[1] == WILL_RECEIVED


def test_a_goodbye_and_statuses_of_one_connection_go_by_the_device_clock(engine):
    goodbye = _status(T0 + timedelta(minutes=6), T0, online=False)
    store_batch(engine, [Received(TOPIC, goodbye, HUB_T0)])
    store_batch(engine, [Received(TOPIC, ONLINE_1_LATER, HUB_T0)])  # sent before it, late
    assert _stored(engine) == ("offline", T0 + timedelta(minutes=6), 0)


def test_a_will_without_its_connection_is_a_dead_letter(engine):
    payload = encode(KioskStatus(id=uuid.uuid4(), device="kiosk-1", seq=1, at=T0, state=DeviceState.OFFLINE))
    payload = payload.replace(b'"lost":false', b'"lost":true')
    assert b'"lost":true' in payload
    outcome = store_batch(engine, [Received(TOPIC, payload, HUB_T0)])
    assert outcome.dead_letters == 1 and "connected_at" in outcome.reasons[0]
    with engine.connect() as connection:
        assert connection.scalar(select(DeadLetter.kind)) is not None
