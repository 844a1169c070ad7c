"""Punches are flagged, never dropped: an unsynchronised kiosk clock, a wall clock that
jumped between two punches of one boot (also across batches), a punch in a locked pay
period or an approved week; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from depotclock.wire.messages import DeviceClock
from hub.ingest.store_batch import IntakePolicy, Received, store_batch
from hub.store.engine import make_engine, session_factory
from hub.store.models import PayPeriodLock, Punch, TimesheetApproval
from tests.integration.ingest.company import enroll_company
from tests.integration.ingest.messages import punch

NOW = datetime(2026, 3, 20, tzinfo=timezone.utc)
MONDAY = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)  # 08:00 in Chicago


def _store(engine, *messages) -> None:
    store_batch(engine, [Received(topic, payload, NOW) for topic, payload in messages], now=NOW)


def _flags(engine) -> dict[int, list[str]]:
    with engine.connect() as connection:
        return dict(connection.execute(select(Punch.seq, Punch.flags)).all())


def _clock(monotonic_s: float, synced: bool = True, boot: str = "b1") -> DeviceClock:
    return DeviceClock(synced=synced, boot=boot, monotonic_s=monotonic_s)


def test_an_unsynchronised_or_jumping_kiosk_clock_is_flagged(migrated_url):
    engine = make_engine(migrated_url)
    enroll_company(engine)
    _store(engine,
           punch(1, at=MONDAY, clock=_clock(1000)),
           punch(2, at=MONDAY + timedelta(hours=1), clock=_clock(4600, synced=False)),
           punch(3, at=MONDAY + timedelta(hours=3), clock=_clock(5200)))  # +2 h wall, +10 min monotonic
    _store(engine,
           punch(5, at=MONDAY + timedelta(hours=4), clock=_clock(8800)),  # in step with seq 3
           punch(4, at=MONDAY + timedelta(hours=3, minutes=1), clock=_clock(5260)),
           punch(6, at=MONDAY + timedelta(hours=3), clock=_clock(8900)),  # stamped before seq 5
           punch(7, at=MONDAY + timedelta(hours=9), clock=_clock(20, boot="b2")))  # rebooted
    assert _flags(engine) == {
        1: [], 2: ["clock_unsynced"], 3: ["clock_jumped"], 4: [], 5: [], 6: ["clock_jumped"], 7: []}
    engine.dispose()


def test_a_punch_in_a_locked_period_or_an_approved_week_is_flagged(migrated_url):
    engine = make_engine(migrated_url)
    enroll_company(engine)
    with session_factory(engine).begin() as session:
        session.add_all([
            PayPeriodLock(period_start=date(2026, 2, 16), period_end=date(2026, 3, 1), locked_by=1,
                          locked_at=NOW),
            PayPeriodLock(period_start=date(2026, 2, 2), period_end=date(2026, 2, 15), locked_by=1,
                          locked_at=NOW, unlocked_by=1, unlocked_at=NOW, unlock_reason="missed punch"),
            TimesheetApproval(technician_id="T-100", week_start=date(2026, 3, 9), level="supervisor",
                              decision="approved", decided_by=1, decided_at=NOW),
        ])
    sunday_night = datetime(2026, 3, 2, 5, 30, tzinfo=timezone.utc)  # Sunday 23:30 in Chicago
    days = [
        (1, "DEADBEEF", sunday_night),  # in the locked period, by the Chicago day
        (2, "DEADBEEF", sunday_night + timedelta(hours=1)),  # Monday: not locked
        (3, "DEADBEEF", datetime(2026, 2, 10, 15, tzinfo=timezone.utc)),  # period unlocked again
        (4, "DEADBEEF", datetime(2026, 3, 12, 15, tzinfo=timezone.utc)),  # Maria's approved week
        (5, "04A1B2C3D4E5F6", datetime(2026, 3, 12, 15, tzinfo=timezone.utc)),  # not James's
        (6, "0E0E0E0E", datetime(2026, 2, 20, 15, tzinfo=timezone.utc)),  # nobody's, locked period
    ]
    _store(engine, *(punch(seq, badge_id=badge, at=at, clock=_clock(0, boot=f"boot-{seq}"))
                     for seq, badge, at in days))
    assert _flags(engine) == {1: ["locked_period"], 2: [], 3: [], 4: ["locked_period"], 5: [],
                              6: ["unknown_badge", "locked_period"]}
    engine.dispose()


def test_under_two_approval_levels_a_week_locks_only_once_payroll_approved_it_too(migrated_url):
    engine = make_engine(migrated_url)
    enroll_company(engine)
    two_levels = IntakePolicy(approval_levels=2)
    thursday = datetime(2026, 3, 12, 15, tzinfo=timezone.utc)

    def decide(level: str) -> None:
        with session_factory(engine).begin() as session:
            session.add(TimesheetApproval(technician_id="T-100", week_start=date(2026, 3, 9), level=level,
                                          decision="approved", decided_by=1, decided_at=NOW))

    decide("supervisor")
    store_batch(engine, [Received(*punch(1, at=thursday, clock=_clock(0)), NOW)], now=NOW, policy=two_levels)
    decide("payroll")
    store_batch(engine, [Received(*punch(2, at=thursday + timedelta(hours=1), clock=_clock(3600)), NOW)],
                now=NOW, policy=two_levels)
    assert _flags(engine) == {1: [], 2: ["locked_period"]}
    engine.dispose()
