"""The company's holiday calendar: the public holidays of its country and subdivision
([payroll.holidays]) and its own days, kept in the hub and changed on the admin page."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.holiday_calendar import public_holidays
from hub.rules.holidays import Holiday
from hub.services.problems import Invalid
from hub.settings import HolidaySettings
from hub.store.models import CompanyHoliday

NAME_MAX = 120


def calendar(session: Session, settings: HolidaySettings, start: date, end: date) -> tuple[Holiday, ...]:
    """Every holiday from `start` to `end` (inclusive): the public ones, then the company's
    (rules.holidays pays a day listed twice once, under its first name)."""
    own = session.execute(
        select(CompanyHoliday.day, CompanyHoliday.name)
        .where(CompanyHoliday.day >= start, CompanyHoliday.day <= end).order_by(CompanyHoliday.day)
    ).all()
    return (*public_holidays(settings.country, settings.subdivision, start, end),
            *(Holiday(day, name) for day, name in own))


def company_days(session: Session) -> list[CompanyHoliday]:
    return list(session.scalars(select(CompanyHoliday).order_by(CompanyHoliday.day)))


def add_company_day(session: Session, day: date | None, name: str) -> CompanyHoliday:
    """Add one of the company's own holidays; part of the caller's transaction."""
    name = " ".join((name or "").split())
    if day is None:
        raise Invalid("day", "give the holiday's date")
    if not name:
        raise Invalid("name", "give the holiday a name")
    if len(name) > NAME_MAX:
        raise Invalid("name", f"at most {NAME_MAX} characters")
    if session.scalar(select(CompanyHoliday.id).where(CompanyHoliday.day == day)) is not None:
        raise Invalid("day", f"{day.isoformat()} is already a company holiday")
    row = CompanyHoliday(day=day, name=name)
    session.add(row)
    session.flush()
    return row


def remove_company_day(session: Session, holiday_id: int) -> CompanyHoliday:
    row = session.get(CompanyHoliday, holiday_id)
    if row is None:
        raise Invalid("holiday", f"no company holiday {holiday_id}")
    session.delete(row)
    session.flush()
    return row
