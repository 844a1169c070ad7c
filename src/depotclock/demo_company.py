"""A small demo company: one depot near Chicago, its technicians, badges, vans and work orders."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TypedDict
from zoneinfo import ZoneInfo

from hub.store.engine import make_engine, session_factory
from hub.store.models import (
    Badge,
    Depot,
    Kiosk,
    PayrollIdentity,
    Technician,
    Vehicle,
    VehicleAssignment,
    WorkOrder,
    WorkOrderAssignment,
)


class _DemoDepot(TypedDict):
    """The demo depot's columns, as `Depot(**DEMO_DEPOT)` takes them."""

    id: str
    name: str
    timezone: str
    address: str
    lat: float
    lon: float
    geofence_radius_m: float


DEMO_DEPOT: _DemoDepot = {
    "id": "north",
    "name": "North Depot",
    "timezone": "America/Chicago",
    "address": "2400 W Fulton St, Chicago, IL",
    "lat": 41.8868,
    "lon": -87.6866,
    "geofence_radius_m": 150.0,
}
DEMO_KIOSKS = ("kiosk-north-1",)
DEMO_VEHICLES = ("van-12", "van-14")

# id, name, job title, wage, badge id (UID hex), badge family
DEMO_TECHNICIANS = (
    ("T-100", "Maria Lopez", "HVAC technician", "31.50", "DEADBEEF", "mfrc522"),
    ("T-101", "James Carter", "HVAC technician", "29.00", "04A1B2C3D4E5F6", "pcsc"),
    ("T-102", "Aisha Khan", "Electrician", "34.25", "0A0B0C0D", "mfrc522"),
    ("T-103", "Tom Novak", "Apprentice", "21.00", "W12345678", "wedge"),
)
# A field technician with no badge: she clocks from her phone (the visitor's login), and
# stays off the clock until someone does.
DEMO_PHONE_TECHNICIAN = ("T-104", "Rosa Diaz", "Field technician", "30.00")

# id, customer, title, address, lat, lon, billable, assigned technicians
DEMO_WORK_ORDERS = (
    ("WO-7", "Lakeview Dental", "Rooftop unit not cooling", "3200 N Broadway", 41.9404, -87.6440,
     True, ("T-100", "T-101")),
    ("WO-8", "Pilsen Bakery", "Walk-in cooler alarm", "1800 S Halsted St", 41.8575, -87.6466,
     True, ("T-100",)),
    ("WO-9", "Oak Park Library", "Quarterly maintenance", "834 Lake St, Oak Park", 41.8880, -87.7980,
     True, ("T-101", "T-102")),
    ("WO-10", "North Depot", "Shop: van restock", "2400 W Fulton St", 41.8868, -87.6866,
     False, ("T-103",)),
)


def history_start(now: datetime) -> datetime:
    """Where the demo's records begin: midnight of the day before `now` at the depot. The
    day of history it seeds and the van's recorded day (today there) both come after it."""
    zone = ZoneInfo(DEMO_DEPOT["timezone"])
    return datetime.combine(now.astimezone(zone).date() - timedelta(days=1), time(0), zone)


def seed_demo_company(database_url: str, now: datetime) -> None:
    """Insert the demo company into an empty, migrated database. Badges are held and vans
    assigned from the start of its history, so every leg a van drives in the demo, even
    one laid on the hours before `now`, has its driver (issue 18)."""
    since = history_start(now)
    engine = make_engine(database_url)
    with session_factory(engine).begin() as session:
        # No ORM relationships, so parents are flushed before the rows that point at them.
        session.add(Depot(**DEMO_DEPOT))
        session.flush()
        session.add_all(Kiosk(id=k, name=f"Kiosk {k}", depot_id=DEMO_DEPOT["id"]) for k in DEMO_KIOSKS)
        session.add_all(Vehicle(id=v, name=f"Van {v[-2:]}", depot_id=DEMO_DEPOT["id"]) for v in DEMO_VEHICLES)
        for tech_id, name, title, wage_text in [t[:4] for t in DEMO_TECHNICIANS] + [DEMO_PHONE_TECHNICIAN]:
            wage = Decimal(wage_text)
            given, family = name.split(" ", 1)
            session.add(
                Technician(
                    id=tech_id, name=name, given_name=given, family_name=family, job_title=title,
                    payroll_id=tech_id.replace("T-", "00"),
                    wage=wage, cost_rate=(wage * Decimal("1.35")).quantize(Decimal("0.01")),
                    billing_rate=Decimal("125.00"), overtime_policy="flsa",
                    payroll_timezone=DEMO_DEPOT["timezone"], home_depot_id=DEMO_DEPOT["id"],
                )
            )
        for wo_id, customer, title, address, lat, lon, billable, _ in DEMO_WORK_ORDERS:
            session.add(
                WorkOrder(id=wo_id, customer=customer, title=title, site_address=address,
                          lat=lat, lon=lon, billable=billable, depot_id=DEMO_DEPOT["id"],
                          quickbooks_job=f"{customer}:{wo_id}")
            )
        session.flush()
        # who each technician is in each payroll system (the demo's made-up ids; Gusto's are Gusto's own)
        for tech_id, name, *_ in DEMO_TECHNICIANS:
            number = tech_id.replace("T-", "")
            given, family = name.split(" ", 1)
            session.add_all([
                PayrollIdentity(technician_id=tech_id, provider="adp", employee_id=number.zfill(6)),
                PayrollIdentity(technician_id=tech_id, provider="paychex", employee_id=f"T{number}"),
                PayrollIdentity(technician_id=tech_id, provider="gusto", employee_id=f"dc{number}"),
                PayrollIdentity(technician_id=tech_id, provider="iif", employee_name=f"{family}, {given}"),
            ])
        session.add_all(
            Badge(badge_id=badge_id, technician_id=tech_id, family=family, raw=badge_id.lower(),
                  active_from=since)
            for tech_id, _, _, _, badge_id, family in DEMO_TECHNICIANS
        )
        session.add_all(
            VehicleAssignment(vehicle_id=van, technician_id=driver, starts_at=since)
            for van, driver in zip(DEMO_VEHICLES, ("T-100", "T-101"), strict=True)
        )
        session.add_all(
            WorkOrderAssignment(work_order_id=wo[0], technician_id=tech)
            for wo in DEMO_WORK_ORDERS
            for tech in wo[-1]
        )
    engine.dispose()


# username: role, technician, depots. Passwords are random, printed by the demo.
DEMO_USERS = {
    "sam": ("supervisor", None, (DEMO_DEPOT["id"],)),
    "pat": ("payroll", None, (DEMO_DEPOT["id"],)),
    "ada": ("admin", None, ()),
    "maria": ("technician", "T-100", ()),
    "rosa": ("technician", DEMO_PHONE_TECHNICIAN[0], ()),
}
HISTORY_BOOT = "demo-history"  # the boot id of the punches the demo seeds, told apart from the kiosk's


def seed_demo_users(database_url: str, now: datetime) -> dict[str, str]:
    """The demo's web users, each with a fresh random password: username -> password."""
    import secrets

    from hub.services.accounts import create_user

    passwords = {name: secrets.token_urlsafe(12) for name in DEMO_USERS}
    engine = make_engine(database_url)
    with session_factory(engine).begin() as session:
        for name, (role, tech, depots) in DEMO_USERS.items():
            create_user(session, name, passwords[name], role, now, technician_id=tech, depots=depots)
    engine.dispose()
    return passwords


# A workday, per technician: (local time, what). "in", "out", "break"/"back" punch the kiosk;
# "visit WO-x until HH:MM" checks in; "drive van to WO-x until HH:MM" is a drive leg.
DEMO_DAY = {
    "T-100": [("07:00", "in"), ("07:20", "drive van-12 WO-7 07:50"), ("07:50", "visit WO-7 11:40"),
              ("12:00", "break meal"), ("12:30", "back"), ("12:40", "drive van-12 WO-8 13:15"),
              ("13:15", "visit WO-8 15:30"), ("15:35", "drive van-12 depot 16:05"), ("16:10", "out")],
    "T-101": [("07:30", "in"), ("07:45", "drive van-14 site 08:30"), ("08:30", "visit WO-9 12:00"),
              ("12:00", "break meal"), ("12:45", "back"), ("12:50", "visit WO-7 15:00"),
              ("15:05", "drive van-14 depot 15:45"), ("16:00", "out")],
    "T-102": [("06:45", "in"), ("07:00", "visit WO-9 10:30"), ("10:30", "break rest"), ("10:45", "back"),
              ("11:30", "visit WO-9 14:45"), ("15:15", "out")],
    "T-103": [("07:05", "in"), ("07:10", "visit WO-10 11:00"), ("11:00", "break meal"), ("11:35", "back"),
              ("13:30", "out")],  # 11:35-13:30 unaccounted: an exception for the inbox
}


def seed_demo_day(database_url: str, day, now: datetime) -> None:
    """A day of activity on `day` (local), so the timeline, timesheets and exceptions
    inbox have something to show: punches as the kiosk would have sent them, drive legs
    as ingest builds them, and work-order visits."""
    import uuid
    from datetime import datetime as dt
    from datetime import time
    from zoneinfo import ZoneInfo

    from hub.store.models import DriveLeg, Punch, WorkOrderVisit

    tz = ZoneInfo(DEMO_DEPOT["timezone"])

    def local(text: str) -> datetime:
        return dt.combine(day, time.fromisoformat(text), tz)

    engine = make_engine(database_url)
    with session_factory(engine).begin() as session:
        seq = 0
        for tech, steps in DEMO_DAY.items():
            for at_text, what in steps:
                at, words = local(at_text), what.split()
                if words[0] in ("in", "out", "break", "back"):
                    seq += 1
                    action = {"in": "clock_in", "out": "clock_out", "break": "break_start", "back": "break_end"}[words[0]]
                    badge = next(t for t in DEMO_TECHNICIANS if t[0] == tech)
                    offset = at.utcoffset()
                    assert offset is not None  # local() gives aware instants
                    session.add(Punch(
                        id=uuid.uuid4(), kiosk_id=DEMO_KIOSKS[0], seq=seq, at=at,
                        utc_offset_min=int(offset.total_seconds() // 60), received_at=at,
                        badge_id=badge[4], badge_family=badge[5], badge_raw=badge[4].lower(), action=action,
                        break_kind=words[1] if words[0] == "break" else None, technician_id=tech,
                        clock_synced=True, boot=HISTORY_BOOT, monotonic_s=float(seq), flags=[]))
                elif words[0] == "visit":
                    session.add(WorkOrderVisit(
                        request_id=f"demo-{tech}-{at_text}", technician_id=tech, work_order_id=words[1],
                        check_in_at=at, check_out_at=local(words[2]), source="web",
                        next_status="needs_scheduling", note="seeded by the demo"))
                else:  # drive VAN TARGET UNTIL
                    van, target, until = words[1:]
                    session.add(DriveLeg(
                        vehicle_id=van, technician_id=tech, driver_source="assignment", start_at=at,
                        end_at=local(until), distance_km=12.5, origin_kind="depot" if target != "depot" else "site",
                        destination_kind="site" if target != "depot" else "depot",
                        work_order_id=target if target.startswith("WO-") else None,
                        work_order_source="check_in" if target.startswith("WO-") else None, built_at=now))
    engine.dispose()


def seed_demo_visits(database_url: str, at: datetime) -> None:
    """Open work-order visits from `at`, so the live board shows technicians on site."""
    from hub.store.models import WorkOrderVisit

    engine = make_engine(database_url)
    with session_factory(engine).begin() as session:
        session.add_all(WorkOrderVisit(request_id=f"demo-live-{tech}", technician_id=tech, work_order_id=wo,
                                       check_in_at=at, source="web")
                        for tech, wo in (("T-101", "WO-9"), ("T-102", "WO-9"), ("T-103", "WO-10")))
    engine.dispose()
