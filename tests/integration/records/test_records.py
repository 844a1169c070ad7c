"""Timesheets from the store: raw punches, drive legs and visits, with corrections on top,
on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hub.rules.sheets import hours
from hub.services.records import timesheets
from hub.settings import PayrollSettings
from hub.store.models import (
    Correction,
    Depot,
    DriveLeg,
    Punch,
    Technician,
    User,
    Vehicle,
    WorkOrder,
    WorkOrderVisit,
)

CHICAGO = ZoneInfo("America/Chicago")
MONDAY = date(2026, 3, 2)


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHICAGO)


def _punch(tech: str, action: str, when: datetime) -> Punch:
    return Punch(
        id=uuid.uuid4(), kiosk_id="kiosk-1", seq=1, at=when, utc_offset_min=-360,
        received_at=when, badge_id="DEADBEEF", badge_family="pcsc", badge_raw="DEADBEEF",
        action=action, break_kind=None, technician_id=tech, clock_synced=True, boot="b",
        monotonic_s=1.0, flags=[],
    )


def _seed(session) -> tuple[Punch, Punch]:
    session.add(Depot(id="north", name="North", timezone="America/Chicago", lat=41.88, lon=-87.68))
    session.flush()
    session.add(Technician(
        id="T-100", name="Maria Lopez", job_title="HVAC", wage=Decimal("30.00"), cost_rate=Decimal("40"),
        billing_rate=Decimal("125"), overtime_policy="flsa", payroll_timezone="America/Chicago",
        home_depot_id="north",
    ))
    session.add(WorkOrder(id="WO-7", customer="Lakeview Dental", title="RTU", depot_id="north"))
    session.add(Vehicle(id="van-12", name="Van 12", depot_id="north"))
    session.add(User(username="sam", password_hash="x", role="supervisor", created_at=at(6)))
    session.flush()
    clock_in, clock_out = _punch("T-100", "clock_in", at(7)), _punch("T-100", "clock_out", at(16))
    session.add_all([clock_in, clock_out])
    session.add(DriveLeg(
        vehicle_id="van-12", technician_id="T-100", start_at=at(7, 15), end_at=at(7, 45), distance_km=12.0,
        origin_kind="depot", destination_kind="site", work_order_id="WO-7", built_at=at(8),
    ))
    session.add(WorkOrderVisit(
        request_id="r1", technician_id="T-100", work_order_id="WO-7", check_in_at=at(7, 45),
        check_out_at=at(11, 45), source="web",
    ))
    session.commit()
    return clock_in, clock_out


def test_a_day_from_the_store_is_worked_hours_drive_and_on_site(session):
    _seed(session)
    (sheet,) = list(timesheets(session, PayrollSettings(), MONDAY, MONDAY + timedelta(days=6)))
    (day,) = sheet.timesheet.days
    assert day.date == MONDAY
    assert hours(day.worked) == 9
    assert hours(day.drive["WO-7"]) == Decimal("0.5")
    assert hours(day.on_site["WO-7"]) == 4
    assert sheet.timesheet.weeks[0].cost == Decimal("270.00")


def test_a_moved_clock_out_changes_the_day_and_is_marked(session):
    _, clock_out = _seed(session)
    user = session.query(User).one()
    correction = Correction(
        technician_id="T-100", created_at=at(17), created_by=user.id, reason="left at 17:30, forgot to badge",
        kind="move_punch", replaces_type="punch", replaces_id=str(clock_out.id),
        values={"at": at(17, 30).isoformat(), "action": "clock_out"},
    )
    session.add(correction)
    session.commit()
    (sheet,) = list(timesheets(session, PayrollSettings(), MONDAY, MONDAY))
    assert hours(sheet.timesheet.days[0].worked) == Decimal("10.5")
    assert sheet.marks == {f"c{correction.id}": f"c{correction.id}"}


def test_a_technician_without_events_still_gets_a_timesheet(session):
    _seed(session)
    session.add(Technician(
        id="T-101", name="James", job_title="HVAC", wage=Decimal("29"), cost_rate=Decimal("39"),
        billing_rate=Decimal("125"), payroll_timezone="America/Chicago", home_depot_id="north",
    ))
    session.commit()
    sheets = list(timesheets(session, PayrollSettings(), MONDAY, MONDAY, chunk=1))
    assert [s.technician.id for s in sheets] == ["T-100", "T-101"]
    assert sheets[1].timesheet.days == []
