"""A small demo company: one depot near Chicago, its technicians, badges, vans and work orders."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from hub.store.engine import make_engine, session_factory
from hub.store.models import (
    Badge,
    Depot,
    Kiosk,
    Technician,
    Vehicle,
    VehicleAssignment,
    WorkOrder,
    WorkOrderAssignment,
)

DEMO_DEPOT = {
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


def seed_demo_company(database_url: str, now: datetime) -> None:
    """Insert the demo company into an empty, migrated database."""
    engine = make_engine(database_url)
    with session_factory(engine).begin() as session:
        # No ORM relationships, so parents are flushed before the rows that point at them.
        session.add(Depot(**DEMO_DEPOT))
        session.flush()
        session.add_all(Kiosk(id=k, name=f"Kiosk {k}", depot_id=DEMO_DEPOT["id"]) for k in DEMO_KIOSKS)
        session.add_all(Vehicle(id=v, name=f"Van {v[-2:]}", depot_id=DEMO_DEPOT["id"]) for v in DEMO_VEHICLES)
        for tech_id, name, title, wage, _, _ in DEMO_TECHNICIANS:
            wage = Decimal(wage)
            session.add(
                Technician(
                    id=tech_id, name=name, job_title=title, payroll_id=tech_id.replace("T-", "00"),
                    wage=wage, cost_rate=(wage * Decimal("1.35")).quantize(Decimal("0.01")),
                    billing_rate=Decimal("125.00"), overtime_policy="flsa",
                    payroll_timezone=DEMO_DEPOT["timezone"], home_depot_id=DEMO_DEPOT["id"],
                )
            )
        for wo_id, customer, title, address, lat, lon, billable, _ in DEMO_WORK_ORDERS:
            session.add(
                WorkOrder(id=wo_id, customer=customer, title=title, site_address=address,
                          lat=lat, lon=lon, billable=billable, depot_id=DEMO_DEPOT["id"])
            )
        session.flush()
        session.add_all(
            Badge(badge_id=badge_id, technician_id=tech_id, family=family, raw=badge_id.lower(),
                  active_from=now)
            for tech_id, _, _, _, badge_id, family in DEMO_TECHNICIANS
        )
        session.add_all(
            VehicleAssignment(vehicle_id=van, technician_id=driver, starts_at=now)
            for van, driver in zip(DEMO_VEHICLES, ("T-100", "T-101"), strict=True)
        )
        session.add_all(
            WorkOrderAssignment(work_order_id=wo[0], technician_id=tech)
            for wo in DEMO_WORK_ORDERS
            for tech in wo[-1]
        )
    engine.dispose()
