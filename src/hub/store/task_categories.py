"""The company's task categories: time on the clock that is not a work order (shop,
training, admin...). Visits, gap fills and drive legs name one by its id."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.store.base import Base


class TaskCategory(Base):
    __tablename__ = "task_categories"
    __table_args__ = (
        CheckConstraint("active_to IS NULL OR active_from IS NULL OR active_to >= active_from",
                        name="active_dates_ordered"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    billable: Mapped[bool] = mapped_column(default=False)
    active_from: Mapped[date | None]
    active_to: Mapped[date | None]
