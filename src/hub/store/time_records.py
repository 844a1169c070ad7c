"""What the hub derives and what people record: drive legs, work-order visits,
corrections, approvals and pay-period locks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from hub.store.base import Base

PLACE_KINDS = ("depot", "site", "home", "other")


class DriveLeg(Base):
    """A journey of a van from ignition on (or motion) to ignition off; rebuilt on late data."""

    __tablename__ = "drive_legs"
    __table_args__ = (
        CheckConstraint("end_at >= start_at", name="ends_after_start"),
        CheckConstraint(f"origin_kind IN {PLACE_KINDS}", name="origin_kind_known"),
        CheckConstraint(f"destination_kind IN {PLACE_KINDS}", name="destination_kind_known"),
        Index("ix_drive_legs_vehicle_start", "vehicle_id", "start_at"),
        Index("ix_drive_legs_technician_start", "technician_id", "start_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[str] = mapped_column(ForeignKey("vehicles.id"))
    technician_id: Mapped[str | None] = mapped_column(ForeignKey("technicians.id"))
    driver_source: Mapped[str | None] = mapped_column(String(16))  # correction | badge | assignment
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    start_lat: Mapped[float | None]
    start_lon: Mapped[float | None]
    end_lat: Mapped[float | None]
    end_lon: Mapped[float | None]
    distance_km: Mapped[float] = mapped_column(default=0.0)
    origin_kind: Mapped[str] = mapped_column(String(8), default="other")
    origin_ref: Mapped[str | None] = mapped_column(String(64))
    destination_kind: Mapped[str] = mapped_column(String(8), default="other")
    destination_ref: Mapped[str | None] = mapped_column(String(64))
    work_order_id: Mapped[str | None] = mapped_column(ForeignKey("work_orders.id"))
    work_order_source: Mapped[str | None] = mapped_column(String(16))  # check_in | geofence
    built_at: Mapped[datetime]


class WorkOrderVisit(Base):
    """A technician's check-in to (and check-out of) a work order."""

    __tablename__ = "work_order_visits"
    __table_args__ = (
        Index("ix_visits_technician_in", "technician_id", "check_in_at"),
        Index("uq_work_order_visits_check_out_request_id", "check_out_request_id", unique=True),
        CheckConstraint("(work_order_id IS NULL) <> (category_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), unique=True)
    technician_id: Mapped[str] = mapped_column(ForeignKey("technicians.id"))
    # a visit is to a work order or (a timer's) to a task category, never both
    work_order_id: Mapped[str | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    category_id: Mapped[str | None] = mapped_column(ForeignKey("task_categories.id"))
    check_in_at: Mapped[datetime]
    check_out_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(String(16))  # web | api | geofence | timer
    next_status: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    # a phone's requests (hub.services.offline_requests): what the check-in said, the
    # check-out's own id and what it said, and the flags either earned
    request_digest: Mapped[str | None] = mapped_column(String(64))
    check_out_request_id: Mapped[str | None] = mapped_column(String(64))
    check_out_digest: Mapped[str | None] = mapped_column(String(64))
    flags: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))


class Correction(Base):
    """A change to a technician's record: never an edit in place. Immutable once written;
    a correction of a correction replaces it by pointing at it."""

    __tablename__ = "corrections"
    __table_args__ = (
        CheckConstraint("length(trim(reason)) > 0", name="has_reason"),
        Index("ix_corrections_replaces", "replaces_type", "replaces_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[str] = mapped_column(ForeignKey("technicians.id"), index=True)
    created_at: Mapped[datetime]
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))  # add_punch, move_punch, void_punch, ...
    replaces_type: Mapped[str | None] = mapped_column(String(32))  # punch, drive_leg, ...
    replaces_id: Mapped[str | None] = mapped_column(String(64))
    values: Mapped[dict] = mapped_column(JSON, default=dict)


class TimesheetApproval(Base):
    """One decision on a technician's workweek at one approval level."""

    __tablename__ = "timesheet_approvals"
    __table_args__ = (
        CheckConstraint(
            "decision IN ('submitted', 'approved', 'rejected', 'voided')", name="decision_known"
        ),
        Index("ix_approvals_technician_week", "technician_id", "week_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[str] = mapped_column(ForeignKey("technicians.id"))
    week_start: Mapped[date]
    level: Mapped[str] = mapped_column(String(16))  # technician | supervisor | payroll
    decision: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text)


class PayPeriodLock(Base):
    __tablename__ = "pay_period_locks"
    __table_args__ = (UniqueConstraint("period_start", "locked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    locked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    locked_at: Mapped[datetime]
    unlocked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unlocked_at: Mapped[datetime | None]
    unlock_reason: Mapped[str | None] = mapped_column(Text)
