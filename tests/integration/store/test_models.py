"""Round trips on both backends: instants, money, immutability, idempotency by id."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DatabaseError, IntegrityError, StatementError

from hub.store.models import Correction, Depot, Punch, Technician, User

CHICAGO = ZoneInfo("America/Chicago")


def _company(session) -> None:
    session.add(Depot(id="north", name="North", timezone="America/Chicago", lat=41.9, lon=-87.7))
    session.add(
        Technician(
            id="T-100",
            name="Maria Lopez",
            job_title="HVAC technician",
            payroll_id="000123",
            wage=Decimal("31.2575"),
            cost_rate=Decimal("44.10"),
            billing_rate=Decimal("125.00"),
            payroll_timezone="America/Chicago",
            home_depot_id="north",
        )
    )
    session.add(User(id=1, username="sam", password_hash="$argon2id$x", role="supervisor",
                     created_at=datetime.now(timezone.utc)))
    session.commit()


def _punch(at: datetime, message_id: uuid.UUID | None = None) -> Punch:
    return Punch(
        id=message_id or uuid.uuid4(), kiosk_id="kiosk-1", seq=1, at=at,
        utc_offset_min=int(at.utcoffset().total_seconds() // 60),
        received_at=datetime.now(timezone.utc), badge_id="DEADBEEF", badge_family="pcsc",
        badge_raw="deadbeef", action="clock_in", technician_id="T-100", clock_synced=True,
        boot="b1", monotonic_s=12.5, flags=[],
    )


def test_instants_come_back_aware_utc_and_equal(session):
    # 01:30 on the fall-back night happens twice in Chicago; fold=1 is the second, CST one.
    local = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=CHICAGO)
    session.add(_punch(local))
    session.commit()
    session.expunge_all()
    stored = session.scalars(select(Punch)).one()
    assert stored.at.tzinfo == timezone.utc
    assert stored.at == datetime(2026, 11, 1, 7, 30, tzinfo=timezone.utc)
    assert stored.utc_offset_min == -360


def test_naive_instants_are_refused(session):
    punch = _punch(datetime(2026, 3, 2, 7, 0, tzinfo=CHICAGO))
    punch.at = datetime(2026, 3, 2, 7, 0)
    session.add(punch)
    with pytest.raises(StatementError, match="has no time zone"):
        session.commit()


def test_money_round_trips_exactly(session):
    _company(session)
    session.expunge_all()
    technician = session.get(Technician, "T-100")
    assert technician.wage == Decimal("31.2575")
    assert isinstance(technician.billing_rate, Decimal)


def test_raw_punches_cannot_be_changed_or_deleted(session):
    session.add(_punch(datetime(2026, 3, 2, 7, 0, tzinfo=CHICAGO)))
    session.commit()
    with pytest.raises(DatabaseError, match="immutable"):
        session.execute(update(Punch).values(action="clock_out"))
    session.rollback()
    with pytest.raises(DatabaseError, match="immutable"):
        session.execute(delete(Punch))
    session.rollback()
    assert session.scalars(select(Punch.action)).one() == "clock_in"


def test_the_same_message_id_is_stored_once(session):
    message_id = uuid.uuid4()
    session.add(_punch(datetime(2026, 3, 2, 7, 0, tzinfo=CHICAGO), message_id))
    session.commit()
    session.add(_punch(datetime(2026, 3, 2, 7, 0, tzinfo=CHICAGO), message_id))
    with pytest.raises(IntegrityError):
        session.commit()


def test_a_correction_needs_a_reason(session):
    _company(session)
    session.add(
        Correction(
            technician_id="T-100", created_at=datetime.now(timezone.utc), created_by=1,
            reason="   ", kind="add_punch", values={"action": "clock_out"},
        )
    )
    with pytest.raises(IntegrityError):
        session.commit()


def test_corrections_are_immutable_too(session):
    _company(session)
    session.add(
        Correction(
            technician_id="T-100", created_at=datetime.now(timezone.utc), created_by=1,
            reason="forgot to clock out", kind="add_punch",
            values={"action": "clock_out", "at": "2026-03-02T17:00:00-06:00"},
        )
    )
    session.commit()
    with pytest.raises(DatabaseError, match="immutable"):
        session.execute(update(Correction).values(reason="changed my mind"))
    session.rollback()
    assert session.scalars(select(Correction.created_at)).one() > datetime.now(timezone.utc) - timedelta(minutes=1)
