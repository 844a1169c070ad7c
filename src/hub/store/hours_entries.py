"""Hours-only entries: worked time on a day with no punches, added by a technician (before
they submit the week), a supervisor or an admin, always with a reason. Never edited: voiding
one is a row of its own, with who, when and why."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.store.base import Base


class HoursEntry(Base):
    __tablename__ = "hours_entries"
    __table_args__ = (
        CheckConstraint("minutes > 0 AND minutes <= 1440", name="minutes_in_a_day"),
        CheckConstraint("(work_order_id IS NULL) <> (category_id IS NULL)", name="one_target"),
        CheckConstraint("length(trim(reason)) > 0", name="has_reason"),
        Index("ix_hours_entries_technician_day", "technician_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[str] = mapped_column(ForeignKey("technicians.id"))
    day: Mapped[date]  # the technician's local workday
    minutes: Mapped[int]
    work_order_id: Mapped[str | None] = mapped_column(ForeignKey("work_orders.id"))
    category_id: Mapped[str | None] = mapped_column(ForeignKey("task_categories.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))

    @property
    def target(self) -> str:
        """The work order's or category's id, as the engine names either."""
        return self.work_order_id or self.category_id or ""


class HoursEntryVoid(Base):
    """An hours-only entry taken back: one per entry."""

    __tablename__ = "hours_entry_voids"
    __table_args__ = (CheckConstraint("length(trim(reason)) > 0", name="has_reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("hours_entries.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
