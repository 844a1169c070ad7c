"""One message can never stop ingest or poison a device (issue 22): what the wire refuses
is a dead letter; what the database refuses is isolated (the batch stored in parts) and
kept as a dead letter with the database's error, the rest of the batch stored."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from hub.ingest.store_batch import Received, store_batch
from hub.store.engine import make_engine
from hub.store.models import DeadLetter, DeviceStatus, Punch, TelemetryEvent
from tests.integration.ingest.messages import T0, kiosk_status, punch, telemetry, telemetry_items

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)

# Each of these crashed `hub ingest` on PostgreSQL, again after every restart (issue 22).
POISON = {
    "JSON nested 100,000 levels": lambda payload: b"[" * 100_000 + b"]" * 100_000,
    "JSON nested 1,000 levels in an unknown field": lambda payload:
        payload[:-1] + b',"x":' + b"[" * 1000 + b"]" * 1000 + b"}",
    "seq of 2^31": lambda payload: _with(payload, seq=2**31),
    "seq of 2^63": lambda payload: _with(payload, seq=2**63),
    "seq of 10^30": lambda payload: _with(payload, seq=10**30),
    "NUL in the badge's raw value": lambda payload: _with(payload, badge=lambda b: b | {"raw": "dead\x00beef"}),
    "NUL in clock.boot": lambda payload: _with(payload, clock=lambda c: c | {"boot": "b\x001"}),
}


def _with(payload: bytes, **changes) -> bytes:
    document = json.loads(payload)
    for key, change in changes.items():
        document[key] = change(document[key]) if callable(change) else change
    return json.dumps(document).encode()


def _received(*messages) -> list[Received]:
    return [Received(topic, payload, NOW) for topic, payload in messages]


def _count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("poison", POISON)
def test_a_poison_punch_is_a_dead_letter_and_its_batch_is_stored(migrated_url, poison):
    engine = make_engine(migrated_url)
    topic, payload = punch(99)
    batch = [punch(1), (topic, POISON[poison](payload)), punch(2)]
    outcome = store_batch(engine, _received(*batch))
    assert (outcome.stored, outcome.dead_letters) == (2, 1)
    assert _count(engine, Punch) == 2
    engine.dispose()


@pytest.mark.parametrize("seq", [2**31, 2**53 + 1, 2**63, 10**30])
def test_a_telemetry_item_seq_beyond_the_column(migrated_url, seq):
    engine = make_engine(migrated_url)
    topic, payload = telemetry(telemetry_items(3))
    document = json.loads(payload)
    document["items"][1]["seq"] = seq
    outcome = store_batch(engine, _received(telemetry(telemetry_items(2)), (topic, json.dumps(document).encode())))
    assert (outcome.stored, outcome.dead_letters) == (2, 1)
    engine.dispose()


@pytest.mark.parametrize("change", [{"backlog": 2**31}, {"backlog": 2**40}, {"reader_error": "reader\x00gone"}])
def test_a_poison_status_is_a_dead_letter(migrated_url, change):
    engine = make_engine(migrated_url)
    topic, payload = kiosk_status(T0, backlog=0)
    outcome = store_batch(engine, _received((topic, _with(payload, **change)), punch(1)))
    assert (outcome.stored, outcome.dead_letters) == (1, 1)
    assert _count(engine, DeviceStatus) == 0
    engine.dispose()


def test_an_unknown_badge_read_with_a_nul(migrated_url):
    engine = make_engine(migrated_url)
    topic, payload = punch(5)
    document = json.loads(payload)
    document = {key: document[key] for key in ("id", "device", "seq", "at", "badge", "clock")}
    document["badge"]["raw"] = "\x00"
    outcome = store_batch(engine, _received(("depotclock/v1/kiosk/kiosk-1/unknown_badge", json.dumps(document).encode())))
    assert outcome.dead_letters == 1 and "badge.raw" in outcome.reasons[0]
    engine.dispose()


def _refuse_raw_value(engine, raw: str) -> None:
    """The database itself refuses punches whose badge raw value is `raw` (a trigger): a
    message the wire accepts and the store cannot take, whatever the reason."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(
                "CREATE FUNCTION refuse_punch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF NEW.badge_raw = '{raw}' THEN RAISE EXCEPTION 'refused by the test'; END IF; "
                "RETURN NEW; END $$"))
            connection.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON punches FOR EACH ROW "
                                    "EXECUTE FUNCTION refuse_punch()"))
        else:
            connection.execute(text(f"CREATE TRIGGER refuse BEFORE INSERT ON punches WHEN NEW.badge_raw = '{raw}' "
                                    "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"))


def test_a_message_the_database_refuses_is_isolated_and_the_rest_stored(migrated_url):
    engine = make_engine(migrated_url)
    _refuse_raw_value(engine, "refused")
    batch = [punch(n) for n in range(1, 40)] + [telemetry(telemetry_items(50))]
    topic, payload = batch[17]
    batch[17] = (topic, payload.replace(b'"raw":"deadbeef"', b'"raw":"refused"'))
    outcome = store_batch(engine, _received(*batch))
    assert (outcome.stored, outcome.dead_letters) == (38 + 50, 1)
    with engine.connect() as connection:
        dead = connection.execute(select(DeadLetter.payload, DeadLetter.reason)).one()
    assert dead.payload == batch[17][1] and "refused by the test" in dead.reason
    assert _count(engine, Punch) == 38 and _count(engine, TelemetryEvent) == 50
    # Delivered again (the broker's redelivery): the same dead letter, once; the rest duplicates.
    again = store_batch(engine, _received(*batch))
    assert (again.stored, again.dead_letters, again.duplicates) == (0, 0, 39 + 50)
    # Every device that sent entries is told of each of them: stored or kept.
    ranges = [(first, last) for receipt in outcome.receipts for first, last, _ in receipt.stored + receipt.dead_letters]
    assert sorted(seq for first, last in ranges for seq in range(first, last + 1)) == sorted(
        [*range(1, 40), *range(1, 51)])
    engine.dispose()


def test_a_status_row_that_cannot_be_read_does_not_refuse_later_statuses(migrated_url):
    """A kiosk status whose reader_error held a NUL was stored; PostgreSQL then could not
    read that row's JSON, and every later status of the kiosk crashed ingest (issue 22)."""
    engine = make_engine(migrated_url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO device_status (kind, device_id, state, last_seen, backlog, detail) "
            "VALUES ('kiosk', 'kiosk-1', 'online', :at, 3, :detail)"),
            {"at": T0, "detail": '{"reader_error": "bad\\u0000", "lost": false, "connected_ms": 1772456400000}'})
    for minutes in (5, 6):
        topic, payload = kiosk_status(T0 + timedelta(minutes=minutes), backlog=minutes)
        payload = _with(payload, connected_at=T0.isoformat())
        outcome = store_batch(engine, _received((topic, payload)))
        assert outcome.dead_letters == 0
    with engine.connect() as connection:
        assert connection.scalar(select(DeviceStatus.backlog)) == 6
    engine.dispose()


def test_every_message_once_whatever_the_mix(migrated_url):
    """Valid punches, telemetry and statuses among refused and malformed ones: each valid one
    stored, each other one a dead letter, each device told of every entry."""
    engine = make_engine(migrated_url)
    _refuse_raw_value(engine, "refused")
    batch, valid = [], 0
    for n in range(1, 61):
        topic, payload = punch(n, kiosk=f"kiosk-{n % 3}")
        if n % 7 == 0:
            payload = payload.replace(b'"raw":"deadbeef"', b'"raw":"refused"')
        elif n % 11 == 0:
            payload = POISON["seq of 2^63"](payload)
        elif n % 13 == 0:
            payload = payload[: n % len(payload)]
        else:
            valid += 1
        batch.append((topic, payload))
    batch.insert(30, ("depotclock/v1/vehicle/van-1/telemetry", uuid.uuid4().bytes))
    outcome = store_batch(engine, _received(*batch))
    assert outcome.stored == valid == _count(engine, Punch)
    assert outcome.dead_letters == len(batch) - valid == _count(engine, DeadLetter)
    engine.dispose()
