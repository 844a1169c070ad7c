"""A small company for the ingest tests: depots north and south, technicians with badges,
vans wired and unwired, a work-order site, and a payroll user who locks periods."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from hub.store.engine import session_factory
from hub.store.models import (
    Badge,
    Depot,
    Technician,
    User,
    Vehicle,
    VehicleAssignment,
    WorkOrder,
)
from tests.unit.ingest.drives import DEPOT, SITE

LONG_AGO = datetime(2026, 1, 1, tzinfo=timezone.utc)
# id, name, home depot, overtime policy, badge
TECHNICIANS = (
    ("T-100", "Maria Lopez", "north", "flsa", "DEADBEEF"),
    ("T-101", "James Carter", "north", "flsa", "04A1B2C3D4E5F6"),
    ("T-102", "Aisha Khan", "south", "california", "0A0B0C0D"),
)


def enroll_company(engine, vans: dict[str, str] | None = None, assigned: dict[str, str] | None = None) -> None:
    """`vans`: id -> leg source; `assigned`: van -> technician from LONG_AGO on."""
    with session_factory(engine).begin() as session:
        session.add_all([
            Depot(id="north", name="North", timezone="America/Chicago", lat=DEPOT[0], lon=DEPOT[1]),
            Depot(id="south", name="South", timezone="America/Los_Angeles", lat=34.05, lon=-118.24),
        ])
        session.flush()
        for tech, name, depot, policy, _ in TECHNICIANS:
            session.add(Technician(
                id=tech, name=name, job_title="Tech", wage=Decimal(30), cost_rate=Decimal(40),
                billing_rate=Decimal(120), overtime_policy=policy, payroll_timezone="America/Chicago",
                home_depot_id=depot))
        session.add_all(Vehicle(id=v, name=v, depot_id="north", leg_source=s) for v, s in (vans or {}).items())
        session.add(WorkOrder(id="WO-7", customer="Lakeview Dental", title="Rooftop unit",
                              lat=SITE[0], lon=SITE[1], radius_m=100, depot_id="north"))
        session.flush()
        session.add_all(Badge(badge_id=b, technician_id=t, family="mfrc522", raw=b, active_from=LONG_AGO)
                        for t, _, _, _, b in TECHNICIANS)
        session.add_all(VehicleAssignment(vehicle_id=v, technician_id=t, starts_at=LONG_AGO - timedelta(days=1))
                        for v, t in (assigned or {}).items())
        session.add(User(id=1, username="payroll", password_hash="-", role="payroll", created_at=LONG_AGO))
