"""Hours-only entries in the store, on SQLite and PostgreSQL: added and voided through the
service (each a new row with who, when and why), counted by the timesheets, refused when
they cannot be; the table's own checks hold without the service."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from hub.rules.sheets import hours
from hub.services.hours_entries import HoursEntryInput, add_entry, entry_lines, void_entry
from hub.services.problems import Invalid, Locked
from hub.services.records import timesheets
from hub.services.scope import NotAllowed, OutOfScope, Viewer
from hub.settings import PayrollSettings
from hub.store.models import HoursEntry, HoursEntryVoid, Technician, TimesheetApproval, User
from tests.integration.records.test_records import MONDAY, _seed, at

NOW = at(18, day=MONDAY + timedelta(days=4))  # Friday evening
PAYROLL = PayrollSettings()


def _viewers(session) -> tuple[Viewer, Viewer]:
    sam = session.query(User).one()
    session.add(User(username="maria", password_hash="x", role="technician", technician_id="T-100", created_at=at(6)))
    session.flush()
    maria = session.query(User).filter_by(username="maria").one()
    return (Viewer(sam.id, "sam", "supervisor", None, frozenset({"north"})),
            Viewer(maria.id, "maria", "technician", "T-100", None))


def _training(day: date = MONDAY, duration: str = "2", **changes) -> HoursEntryInput:
    return HoursEntryInput(**{"day": day, "duration": duration, "reason": "first-aid course",
                              "category": "non-billable:training", **changes})


def _worked(session) -> tuple[Decimal, Decimal, Decimal]:
    (found,) = timesheets(session, PAYROLL, MONDAY, MONDAY + timedelta(days=6))
    week = found.timesheet.weeks[0]
    return hours(week.worked), hours(week.regular), hours(week.overtime)


def test_entries_are_worked_time_toward_the_40_and_a_void_takes_them_back(session):
    _seed(session)  # Monday: 9 hours on the clock
    sam, maria = _viewers(session)
    technician = session.get(Technician, "T-100")
    for offset in range(1, 5):  # Tuesday to Friday: 8 hours each
        add_entry(session, sam, PAYROLL, technician, _training(MONDAY + timedelta(days=offset), "8",
                                                               category=None, work_order="WO-7"), NOW)
    mine = add_entry(session, maria, PAYROLL, technician, _training(MONDAY + timedelta(days=4), "1:30"), NOW)
    session.commit()
    assert _worked(session) == (Decimal("42.5"), 40, Decimal("2.5"))
    void_entry(session, maria, PAYROLL, technician, mine.id, "it was on Saturday", NOW)
    session.commit()
    assert _worked(session) == (41, 40, 1)
    lines = entry_lines(session, "T-100", MONDAY, MONDAY + timedelta(days=6))
    assert [(line.added_by, line.voided_by) for line in lines] == [("sam", None)] * 4 + [("maria", "maria")]
    assert lines[-1].void is not None and lines[-1].void.reason == "it was on Saturday"
    with pytest.raises(Invalid) as caught:
        void_entry(session, sam, PAYROLL, technician, mine.id, "again", NOW)
    assert caught.value.field == "entry"


def test_a_day_holds_24_hours_with_what_is_on_the_clock(session):
    _seed(session)  # 9 hours on the clock on Monday
    sam, _ = _viewers(session)
    technician = session.get(Technician, "T-100")
    add_entry(session, sam, PAYROLL, technician, _training(duration="15"), NOW)
    with pytest.raises(Invalid) as caught:
        add_entry(session, sam, PAYROLL, technician, _training(duration="0:01"), NOW)
    assert caught.value.field == "duration" and "more than 24 hours" in caught.value.message


def test_who_may_enter_hours_and_until_when(session):
    _seed(session)
    sam, maria = _viewers(session)
    technician = session.get(Technician, "T-100")
    session.add(Technician(id="T-101", name="James", job_title="HVAC", wage=Decimal("29"), cost_rate=Decimal("39"),
                           billing_rate=Decimal("125"), payroll_timezone="America/Chicago", home_depot_id="north"))
    session.flush()
    with pytest.raises(NotAllowed):
        add_entry(session, maria, PAYROLL, session.get(Technician, "T-101"), _training(), NOW)
    with pytest.raises(NotAllowed):
        add_entry(session, maria, PayrollSettings(own_corrections=False), technician, _training(), NOW)
    south = Viewer(sam.user_id, "sue", "supervisor", None, frozenset({"south"}))
    with pytest.raises(OutOfScope):
        add_entry(session, south, PAYROLL, technician, _training(), NOW)
    session.add(TimesheetApproval(technician_id="T-100", week_start=MONDAY, level="technician",
                                  decision="submitted", decided_by=maria.user_id, decided_at=NOW))
    session.flush()
    with pytest.raises(Locked):
        add_entry(session, maria, PAYROLL, technician, _training(), NOW)
    add_entry(session, sam, PAYROLL, technician, _training(), NOW)  # a supervisor, until it is approved
    session.add(TimesheetApproval(technician_id="T-100", week_start=MONDAY, level="supervisor",
                                  decision="approved", decided_by=sam.user_id, decided_at=NOW))
    session.flush()
    with pytest.raises(Locked):
        add_entry(session, sam, PAYROLL, technician, _training(), NOW)


@pytest.mark.parametrize(("changes", "field"), [
    ({"duration": "0"}, "duration"), ({"duration": "25"}, "duration"), ({"duration": "abc"}, "duration"),
    ({"reason": ""}, "reason"), ({"reason": "x" * 10_000}, "reason"),
    ({"category": "another-company:shop"}, "category"), ({"category": None}, "category"),
    ({"work_order": "WO-7"}, "category"), ({"category": None, "work_order": "WO-404"}, "work_order"),
    ({"day": MONDAY + timedelta(days=5)}, "day"),
])
def test_garbage_is_refused_naming_the_field(session, changes, field):
    _seed(session)
    sam, _ = _viewers(session)
    with pytest.raises(Invalid) as caught:
        add_entry(session, sam, PAYROLL, session.get(Technician, "T-100"), _training(**changes), NOW)
    assert caught.value.field == field
    assert session.query(HoursEntry).count() == 0


@pytest.mark.parametrize("row", [
    {"minutes": 0, "category_id": "non-billable:training"}, {"minutes": 1441, "category_id": "non-billable:training"},
    {"minutes": 60, "category_id": "non-billable:training", "work_order_id": "WO-7"}, {"minutes": 60},
    {"minutes": 60, "category_id": "non-billable:training", "reason": "  "},
])
def test_the_table_refuses_what_cannot_be(session, row):
    _seed(session)
    user = session.query(User).one()
    session.add(HoursEntry(**{"technician_id": "T-100", "day": MONDAY, "reason": "r", "created_at": NOW,
                              "created_by": user.id, **row}))
    with pytest.raises(IntegrityError):
        session.flush()


def test_an_entry_is_voided_once(session):
    _seed(session)
    user = session.query(User).one()
    entry = HoursEntry(technician_id="T-100", day=MONDAY, minutes=60, category_id="non-billable:shop",
                       reason="r", created_at=NOW, created_by=user.id)
    session.add(entry)
    session.flush()
    session.add(HoursEntryVoid(entry_id=entry.id, reason="r", created_at=NOW, created_by=user.id))
    session.flush()
    session.add(HoursEntryVoid(entry_id=entry.id, reason="again", created_at=NOW, created_by=user.id))
    with pytest.raises(IntegrityError):
        session.flush()

