"""What was sent to payroll: each export of a pay period, its files byte for byte, and
each technician's exact hours in it (or why they were left out)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.store.base import Base

EXPORT_STATUSES = ("exported", "not_approved", "no_employee_id")


class PayrollExport(Base):
    """One run of `depotclock hub export` (or the payroll page's download)."""

    __tablename__ = "payroll_exports"
    __table_args__ = (Index("ix_payroll_exports_period", "period_start", "exported_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    format: Mapped[str] = mapped_column(String(16))
    preview: Mapped[bool]
    exported_at: Mapped[datetime]
    exported_by: Mapped[str] = mapped_column(String(120))  # a hub username, or os:<login>
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    technicians: Mapped[int] = mapped_column(default=0)  # in the file
    left_out: Mapped[int] = mapped_column(default=0)


class PayrollExportFile(Base):
    """A file of an export; its bytes are in PayrollExportChunk, in order."""

    __tablename__ = "payroll_export_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    export_id: Mapped[int] = mapped_column(ForeignKey("payroll_exports.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)


class PayrollExportChunk(Base):
    __tablename__ = "payroll_export_chunks"

    file_id: Mapped[int] = mapped_column(ForeignKey("payroll_export_files.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class PayrollExportTechnician(Base):
    """A technician's exact hours in an export, in microseconds (premium: whole hours in
    microseconds), so a later export of the period can say what changed."""

    __tablename__ = "payroll_export_technicians"
    __table_args__ = (CheckConstraint(f"status IN {EXPORT_STATUSES}", name="status_known"),)

    export_id: Mapped[int] = mapped_column(ForeignKey("payroll_exports.id"), primary_key=True)
    technician_id: Mapped[str] = mapped_column(ForeignKey("technicians.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    regular_us: Mapped[int] = mapped_column(BigInteger, default=0)
    overtime_us: Mapped[int] = mapped_column(BigInteger, default=0)
    double_time_us: Mapped[int] = mapped_column(BigInteger, default=0)
    premium_us: Mapped[int] = mapped_column(BigInteger, default=0)
    holiday_us: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    holiday_worked_us: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
