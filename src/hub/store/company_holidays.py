"""The company's own paid holidays, on top of the public ones of its country and
subdivision ([payroll.holidays] in the settings): e.g. the day after Thanksgiving."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from hub.store.base import Base


class CompanyHoliday(Base):
    __tablename__ = "company_holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(120))
