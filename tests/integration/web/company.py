"""A small company for the web tests: two depots, technicians in each, users of every
role, and a few days of punches, drive legs and visits around a fixed 'now'."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from hub.services.accounts import create_user
from hub.store.engine import make_engine, session_factory
from hub.store.models import (
    Depot,
    DeviceStatus,
    DriveLeg,
    Kiosk,
    PayrollIdentity,
    Punch,
    Technician,
    UnknownBadgeRead,
    Vehicle,
    VehicleAssignment,
    WorkOrder,
    WorkOrderAssignment,
    WorkOrderVisit,
)

CHICAGO = ZoneInfo("America/Chicago")
MONDAY = date(2026, 3, 2)
TUESDAY = date(2026, 3, 3)
TODAY = date(2026, 3, 4)  # a Wednesday
NOW = datetime(2026, 3, 4, 14, 0, tzinfo=CHICAGO).astimezone(timezone.utc)
PASSWORD = "correct horse battery"
USERS = {  # username: role, technician, depots
    "maria": ("technician", "T-100", ()), "james": ("technician", "T-101", ()),
    "sam": ("supervisor", None, ("north",)), "sue": ("supervisor", None, ("south",)),
    "pat": ("payroll", None, ("north",)), "ada": ("admin", None, ()),
}


def page_text(response) -> str:
    """A page's HTML with its durations and times unmarked (`<span class="hm">8:30</span>`
    and `<time datetime=…>14:00</time>` as 8:30 and 14:00)."""
    return re.sub(r'<span class="hm" title="hours:minutes">([^<]*)</span>|<time [^>]*>([^<]*)</time>',
                  lambda m: m.group(1) or m.group(2) or "", response.data.decode())


def stored(database_url: str, model) -> list:
    """Every row of `model` in the database, read afresh (what a request left behind)."""
    engine = make_engine(database_url)
    with session_factory(engine)() as session:
        rows = list(session.scalars(select(model)))
    engine.dispose()
    return rows


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), CHICAGO)


def punch(tech: str, action: str, when: datetime, break_kind: str | None = None) -> Punch:
    return Punch(id=uuid.uuid4(), kiosk_id="kiosk-north-1", seq=1, at=when, utc_offset_min=-360,
                 received_at=when, badge_id="DEADBEEF", badge_family="pcsc", badge_raw="deadbeef",
                 action=action, break_kind=break_kind, technician_id=tech, clock_synced=True, boot="b",
                 monotonic_s=1.0, flags=[])


def technician(tech_id: str, name: str, depot: str) -> Technician:
    given, family = name.split(" ", 1)
    return Technician(id=tech_id, name=name, given_name=given, family_name=family, job_title="HVAC technician",
                      payroll_id=tech_id, wage=Decimal("30.00"),
                      cost_rate=Decimal("40"), billing_rate=Decimal("125"), overtime_policy="flsa",
                      payroll_timezone="America/Chicago", home_depot_id=depot)


def seed(database_url: str) -> dict[str, str]:
    """Returns ids worth knowing (punch UUIDs, leg ids) by name."""
    engine = make_engine(database_url)
    known: dict[str, str] = {}
    with session_factory(engine).begin() as s:
        s.add_all([Depot(id="north", name="North Depot", timezone="America/Chicago", lat=41.88, lon=-87.68),
                   Depot(id="south", name="South Depot", timezone="America/Chicago", lat=41.70, lon=-87.62)])
        s.flush()
        s.add_all([technician("T-100", "Maria Lopez", "north"), technician("T-101", "James Carter", "north"),
                   technician("T-200", "Sofia Reyes", "south")])
        s.add_all([Kiosk(id="kiosk-north-1", name="North door", depot_id="north"),
                   Vehicle(id="van-12", name="Van 12", depot_id="north"),
                   WorkOrder(id="WO-7", customer="Lakeview Dental", title="Rooftop unit", depot_id="north"),
                   WorkOrder(id="WO-8", customer="Pilsen Bakery", title="Cooler alarm", depot_id="north"),
                   WorkOrder(id="WO-90", customer="South Mall", title="Chiller", depot_id="south")])
        s.flush()
        s.add_all(PayrollIdentity(technician_id=t, provider="gusto", employee_id=f"g{t[2:]}")
                  for t in ("T-100", "T-101", "T-200"))
        s.add_all([WorkOrderAssignment(work_order_id="WO-7", technician_id="T-100"),
                   WorkOrderAssignment(work_order_id="WO-8", technician_id="T-100"),
                   VehicleAssignment(vehicle_id="van-12", technician_id="T-100", starts_at=at(MONDAY, 0))])
        for username, (role, tech, depots) in USERS.items():
            create_user(s, username, PASSWORD, role, NOW, technician_id=tech, depots=depots)
        # Monday: a full day for T-100, with a drive to WO-7 and a visit.
        monday_out = punch("T-100", "clock_out", at(MONDAY, 16))
        s.add_all([punch("T-100", "clock_in", at(MONDAY, 7)), monday_out,
                   punch("T-100", "break_start", at(MONDAY, 12), "meal"),
                   punch("T-100", "break_end", at(MONDAY, 12, 30))])
        known["monday_out"] = str(monday_out.id)
        s.add(WorkOrderVisit(request_id="v-mon", technician_id="T-100", work_order_id="WO-7",
                             check_in_at=at(MONDAY, 8), check_out_at=at(MONDAY, 11, 30), source="web"))
        s.add(DriveLeg(vehicle_id="van-12", technician_id="T-100", driver_source="assignment", start_at=at(MONDAY, 7, 20),
                       end_at=at(MONDAY, 8), distance_km=14.0, origin_kind="depot", destination_kind="site",
                       work_order_id="WO-7", work_order_source="check_in", built_at=at(MONDAY, 9)))
        # Tuesday: clocked in, forgot to clock out; a drive to a site with no work order.
        tuesday_in = punch("T-100", "clock_in", at(TUESDAY, 7))
        s.add(tuesday_in)
        known["tuesday_in"] = str(tuesday_in.id)
        leg = DriveLeg(vehicle_id="van-12", technician_id="T-100", driver_source="assignment", start_at=at(TUESDAY, 9),
                       end_at=at(TUESDAY, 9, 40),
                       distance_km=20.0, origin_kind="depot", destination_kind="site", built_at=at(TUESDAY, 10))
        s.add(leg)
        # Today: T-100 clocked in, T-101 on break, T-200 (south) clocked in.
        s.add_all([punch("T-100", "clock_in", at(TODAY, 7)), punch("T-101", "clock_in", at(TODAY, 7, 30)),
                   punch("T-101", "break_start", at(TODAY, 13, 45), "rest"),
                   punch("T-200", "clock_in", at(TODAY, 6))])
        s.add(DeviceStatus(kind="kiosk", device_id="kiosk-north-1", state="online", last_seen=at(TODAY, 13, 59),
                           backlog=0, detail={}))
        s.add(UnknownBadgeRead(id=uuid.uuid4(), kiosk_id="kiosk-north-1", at=at(TODAY, 7, 5), received_at=at(TODAY, 7, 5),
                               badge_id="0BADCAFE", badge_family="mfrc522", badge_raw="0badcafe"))
        s.flush()
        known["tuesday_leg"] = f"leg-{leg.id}"
    engine.dispose()
    return known
