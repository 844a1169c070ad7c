"""What devices sent, as received: immutable, keyed by message id.

Database triggers (see the initial migration) refuse UPDATE and DELETE on punches,
telemetry and unknown-badge reads; corrections are separate records.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import JSON, CheckConstraint, Index, LargeBinary, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from hub.store.base import Base

PUNCH_ACTIONS = ("clock_in", "clock_out", "break_start", "break_end")
PUNCH_SOURCES = ("kiosk", "phone", "supervisor")
TELEMETRY_TYPES = ("ignition", "fix", "driver")
NOT_FIX = text("type <> 'fix'")


class Punch(Base):
    """A punch as its time clock made it; `at` is that clock's instant, `utc_offset_min` its
    offset. `source`: a kiosk (a badge, or a PIN: no badge), the technician's phone or a
    supervisor's page; the kiosk's journal and clock columns are a kiosk's only. A phone
    gives its position when the browser has one, and a `request_id` that makes a retry
    (an offline phone's queue sent again) the same punch; `request_digest` is what that
    request said, so the same id with another body is refused."""

    __tablename__ = "punches"
    __table_args__ = (
        CheckConstraint(f"action IN {PUNCH_ACTIONS}", name="action_known"),
        CheckConstraint(f"source IN {PUNCH_SOURCES}", name="source_known"),
        Index("ix_punches_kiosk_seq", "kiosk_id", "seq"),
        Index("ix_punches_technician_at", "technician_id", "at"),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    kiosk_id: Mapped[str | None] = mapped_column(String(64))
    seq: Mapped[int | None]
    at: Mapped[datetime]
    utc_offset_min: Mapped[int]
    received_at: Mapped[datetime]
    badge_id: Mapped[str | None] = mapped_column(String(24))
    badge_family: Mapped[str | None] = mapped_column(String(16))
    badge_raw: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    break_kind: Mapped[str | None] = mapped_column(String(8))
    technician_id: Mapped[str | None] = mapped_column(String(64))
    clock_synced: Mapped[bool | None]
    boot: Mapped[str | None] = mapped_column(String(64))
    monotonic_s: Mapped[float | None]
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(16), default="kiosk", server_default="kiosk")
    depot_id: Mapped[str | None] = mapped_column(String(64))  # where it was made: the kiosk's depot
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    accuracy_m: Mapped[float | None]
    request_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    request_digest: Mapped[str | None] = mapped_column(String(64))


class TelemetryEvent(Base):
    """One journaled vehicle event (ignition change, GPS fix, driver badge), keyed by item id."""

    __tablename__ = "telemetry_events"
    __table_args__ = (
        CheckConstraint(f"type IN {TELEMETRY_TYPES}", name="type_known"),
        Index("ix_telemetry_vehicle_at", "vehicle_id", "at"),
        # ignition changes and cab reads only: what leg rebuilding looks up, few among fixes
        Index("ix_telemetry_changes", "vehicle_id", "type", "at",
              postgresql_where=NOT_FIX, sqlite_where=NOT_FIX),
    )

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    vehicle_id: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[UUID] = mapped_column(Uuid)
    seq: Mapped[int]
    at: Mapped[datetime]
    utc_offset_min: Mapped[int]
    received_at: Mapped[datetime]
    type: Mapped[str] = mapped_column(String(8))
    ignition_on: Mapped[bool | None]
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    speed_kmh: Mapped[float | None]
    heading_deg: Mapped[float | None]
    accuracy_m: Mapped[float | None]
    badge_id: Mapped[str | None] = mapped_column(String(24))


class UnknownBadgeRead(Base):
    """A badge a kiosk did not recognise; its depot's supervisor (or an admin) enrolls it from here."""

    __tablename__ = "unknown_badge_reads"

    id: Mapped[UUID] = mapped_column(Uuid, primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    received_at: Mapped[datetime]
    badge_id: Mapped[str] = mapped_column(String(24), index=True)
    badge_family: Mapped[str] = mapped_column(String(16))
    badge_raw: Mapped[str] = mapped_column(String(64))


class DeviceStatus(Base):
    """The last status a kiosk or van published (retained on the broker too)."""

    __tablename__ = "device_status"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    last_seen: Mapped[datetime]
    backlog: Mapped[int] = mapped_column(default=0)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class DeadLetter(Base):
    """A message the hub could not accept, kept whole with the reason: once, by the
    digest of its topic and bytes, however often it is delivered."""

    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[bytes | None] = mapped_column(LargeBinary(32), unique=True)  # None: kept before 0005
    received_at: Mapped[datetime] = mapped_column(index=True)
    topic: Mapped[str] = mapped_column(String(255))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    kind: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
