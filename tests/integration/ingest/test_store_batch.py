"""Each valid message stored once whatever the order or repeats; each invalid one a dead letter."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, select

from hub.ingest.store_batch import Received, store_batch
from hub.store.engine import make_engine, session_factory
from hub.store.models import Badge, DeadLetter, Depot, DeviceStatus, Punch, Technician, TelemetryEvent
from tests.integration.ingest.messages import T0, kiosk_status, punch, telemetry, telemetry_items

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)


def _received(*messages) -> list[Received]:
    return [Received(topic, payload, NOW) for topic, payload in messages]


def _count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def _enroll(engine) -> None:
    with session_factory(engine).begin() as session:
        session.add(Depot(id="north", name="North", timezone="America/Chicago", lat=41.9, lon=-87.7))
        session.flush()
        session.add(Technician(id="T-100", name="Maria", job_title="Tech", wage=Decimal(30),
                               cost_rate=Decimal(40), billing_rate=Decimal(120),
                               payroll_timezone="America/Chicago", home_depot_id="north"))
        session.flush()
        session.add(Badge(badge_id="DEADBEEF", technician_id="T-100", family="pcsc", raw="deadbeef",
                          active_from=T0 - timedelta(days=30)))


def test_repeats_and_reorders_are_stored_once(migrated_url):
    engine = make_engine(migrated_url)
    messages = [punch(n) for n in range(1, 21)]
    first = store_batch(engine, _received(*messages[10:], *messages[:5]))
    again = store_batch(engine, _received(*reversed(messages), *messages[:3]))
    assert (first.stored, first.duplicates) == (15, 0)
    assert (again.stored, again.duplicates) == (5, 18)
    assert _count(engine, Punch) == 20
    engine.dispose()


def test_a_reformed_telemetry_batch_is_stored_once_per_item(migrated_url):
    engine = make_engine(migrated_url)
    items = telemetry_items(30)
    store_batch(engine, _received(telemetry(items[:20])))
    outcome = store_batch(engine, _received(telemetry(items[10:])))  # after a reconnect
    assert (outcome.stored, outcome.duplicates) == (10, 10)
    assert _count(engine, TelemetryEvent) == 30
    engine.dispose()


def test_invalid_messages_become_dead_letters_with_the_reason(migrated_url):
    engine = make_engine(migrated_url)
    topic, payload = punch(1)
    outcome = store_batch(engine, _received(
        (topic, b"{not json"), (topic, payload.replace(b"DEADBEEF", b"deadbeef")),
        ("depotclock/v1/kiosk/kiosk-2/punch", payload), (topic, payload),
    ))
    assert (outcome.stored, outcome.dead_letters) == (1, 3)
    with engine.connect() as connection:
        reasons = connection.scalars(select(DeadLetter.reason).order_by(DeadLetter.id)).all()
        raw = connection.scalars(select(DeadLetter.payload).order_by(DeadLetter.id)).first()
    assert "Invalid JSON" in reasons[0] and "badge.id" in reasons[1] and "topic" in reasons[2]
    assert raw == b"{not json"
    engine.dispose()


def test_a_dead_letter_delivered_again_is_kept_once(migrated_url):
    """An ingest process killed before acknowledging gets its batch delivered again."""
    engine = make_engine(migrated_url)
    topic = "depotclock/v1/kiosk/kiosk-1/punch"
    first = store_batch(engine, _received((topic, b"{not json"), (topic, b"{not json either")))
    again = store_batch(engine, _received((topic, b"{not json"), ("depotclock/v1/kiosk/kiosk-2/punch", b"{not json")))
    assert (first.dead_letters, again.dead_letters, again.duplicates) == (2, 1, 1)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(DeadLetter)) == 3
    engine.dispose()


def test_badges_resolve_to_technicians_and_unknown_ones_are_flagged(migrated_url):
    engine = make_engine(migrated_url)
    _enroll(engine)
    store_batch(engine, _received(punch(1), punch(2, badge_id="0A0B0C0D")))
    with engine.connect() as connection:
        rows = connection.execute(select(Punch.badge_id, Punch.technician_id, Punch.flags).order_by(Punch.seq)).all()
    assert [tuple(r) for r in rows] == [("DEADBEEF", "T-100", []), ("0A0B0C0D", None, ["unknown_badge"])]
    engine.dispose()


def test_issue_19_a_pin_punch_is_the_named_technicians_flagged_and_made_at_the_kiosks_depot(migrated_url):
    """Maria's PIN at kiosk-1 (north); a PIN punch naming nobody the hub knows is kept, unowned."""
    import uuid

    from depotclock.wire.codec import encode
    from depotclock.wire.messages import Punch as PunchMessage
    from depotclock.wire.messages import PunchAction
    from depotclock.wire.topics import kiosk_topic
    from hub.ingest.store_batch import IntakePolicy
    from hub.store.models import Kiosk
    from tests.integration.ingest.messages import CLOCK

    engine = make_engine(migrated_url)
    _enroll(engine)
    with session_factory(engine).begin() as session:
        session.add(Kiosk(id="kiosk-1", name="North door", depot_id="north"))

    def pin_punch(seq: int, tech: str):
        message = PunchMessage(id=uuid.uuid4(), device="kiosk-1", seq=seq, at=T0 + timedelta(minutes=seq),
                               action=PunchAction.CLOCK_IN, tech=tech, pin=True, clock=CLOCK)
        return kiosk_topic("kiosk-1", "punch"), encode(message)

    store_batch(engine, _received(pin_punch(1, "T-100"), pin_punch(2, "T-999")),
                policy=IntakePolicy(pin_needs_approval=True))
    with engine.connect() as connection:
        rows = connection.execute(select(Punch.badge_id, Punch.technician_id, Punch.depot_id, Punch.source,
                                         Punch.flags).order_by(Punch.seq)).all()
    assert [tuple(r) for r in rows] == [
        (None, "T-100", "north", "kiosk", ["pin", "needs_approval"]),
        (None, None, "north", "kiosk", ["unknown_badge", "pin", "needs_approval"])]
    engine.dispose()


def test_an_older_status_never_overwrites_a_newer_one(migrated_url):
    engine = make_engine(migrated_url)
    store_batch(engine, _received(kiosk_status(T0 + timedelta(minutes=5), backlog=0)))
    store_batch(engine, _received(kiosk_status(T0, backlog=42)))  # late delivery
    with engine.connect() as connection:
        assert connection.scalar(select(DeviceStatus.backlog)) == 0
    engine.dispose()
