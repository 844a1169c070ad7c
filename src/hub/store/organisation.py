"""The company: depots, technicians and their badges, vans, kiosks and work orders."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.store.base import Base

Id = String(64)


class Depot(Base):
    __tablename__ = "depots"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(300))
    lat: Mapped[float]
    lon: Mapped[float]
    geofence_radius_m: Mapped[float] = mapped_column(default=150.0)
    # where its technicians may punch from a phone (hub.rules.punch_location); None: the company's
    location_policy: Mapped[str | None] = mapped_column(String(16))


class Technician(Base):
    __tablename__ = "technicians"
    __table_args__ = (CheckConstraint("wage >= 0", name="wage_not_negative"),
                      CheckConstraint("language IN ('en', 'es')", name="language_known"))

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))  # as shown on pages and in DepotClock's own CSV
    # as payroll systems match people (Gusto's first_name and last_name); "" when unknown
    given_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    family_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    job_title: Mapped[str] = mapped_column(String(120))
    payroll_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    wage: Mapped[Decimal]
    cost_rate: Mapped[Decimal]
    billing_rate: Mapped[Decimal]
    overtime_policy: Mapped[str] = mapped_column(String(64), default="flsa")
    payroll_timezone: Mapped[str] = mapped_column(String(64))
    home_depot_id: Mapped[str] = mapped_column(ForeignKey("depots.id"))
    tracks_time: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    pin_hash: Mapped[str | None] = mapped_column(String(200))  # argon2: the kiosk's fallback for a forgotten badge
    # the pages and emails in this language (hub.translations); None: the browser's, else English
    language: Mapped[str | None] = mapped_column(String(8))


class PayrollIdentity(Base):
    """Who a technician is in one payroll system: its employee id there (ADP's file number,
    Paychex's worker id, Gusto's own id) and, for QuickBooks, the employee list name."""

    __tablename__ = "payroll_identities"
    __table_args__ = (
        UniqueConstraint("provider", "employee_id"),
        CheckConstraint("provider IN ('adp', 'paychex', 'gusto', 'iif')", name="provider_known"),
    )

    technician_id: Mapped[str] = mapped_column(ForeignKey("technicians.id"), primary_key=True)
    provider: Mapped[str] = mapped_column(String(16), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(String(64))
    employee_name: Mapped[str | None] = mapped_column(String(120))


class Badge(Base):
    """A card issued to a technician; `badge_id` is the normalised id (depotclock.wire.badge)."""

    __tablename__ = "badges"
    __table_args__ = (UniqueConstraint("badge_id", "active_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    badge_id: Mapped[str] = mapped_column(String(24), index=True)
    technician_id: Mapped[str] = mapped_column(ForeignKey("technicians.id"), index=True)
    family: Mapped[str] = mapped_column(String(16))
    raw: Mapped[str] = mapped_column(String(64))
    active_from: Mapped[datetime]
    active_to: Mapped[datetime | None]


class Kiosk(Base):
    __tablename__ = "kiosks"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    depot_id: Mapped[str] = mapped_column(ForeignKey("depots.id"), index=True)


class Vehicle(Base):
    __tablename__ = "vehicles"
    __table_args__ = (
        CheckConstraint("leg_source IN ('ignition', 'motion')", name="leg_source_known"),
    )

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    plate: Mapped[str | None] = mapped_column(String(20))
    depot_id: Mapped[str] = mapped_column(ForeignKey("depots.id"), index=True)
    leg_source: Mapped[str] = mapped_column(String(16), default="ignition")


class VehicleAssignment(Base):
    """Who drives a van from `starts_at` until `ends_at` (open-ended when None).

    One with a `reason` is a supervisor's correction: who drove one drive leg that had no
    driver, recorded by whom and when, covering that leg's span only (never edited)."""

    __tablename__ = "vehicle_assignments"
    __table_args__ = (
        CheckConstraint(
            "reason IS NULL OR (length(trim(reason)) > 0 AND recorded_by IS NOT NULL"
            " AND recorded_at IS NOT NULL AND ends_at IS NOT NULL)",
            name="correction_recorded"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[str] = mapped_column(ForeignKey("vehicles.id"), index=True)
    technician_id: Mapped[str] = mapped_column(ForeignKey("technicians.id"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None]


class WorkOrder(Base):
    __tablename__ = "work_orders"
    __table_args__ = (CheckConstraint("radius_m > 0", name="radius_positive"),)

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    customer: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    site_address: Mapped[str | None] = mapped_column(String(300))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    radius_m: Mapped[float] = mapped_column(default=100.0)
    billable: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(32), default="open")
    depot_id: Mapped[str] = mapped_column(ForeignKey("depots.id"), index=True)
    # the job in QuickBooks' Customers & Jobs ("Customer:Job") its time goes to in an IIF file
    quickbooks_job: Mapped[str | None] = mapped_column(String(200))


class WorkOrderAssignment(Base):
    __tablename__ = "work_order_assignments"

    work_order_id: Mapped[str] = mapped_column(ForeignKey("work_orders.id"), primary_key=True)
    technician_id: Mapped[str] = mapped_column(ForeignKey("technicians.id"), primary_key=True)
