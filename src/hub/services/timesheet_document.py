"""A timesheet as the one JSON document that `depotclock timesheet compute --json` prints and
the API's /timesheets returns: hours as exact decimal strings (4 places), money as decimal
strings (2 places), instants in ISO 8601 with the payroll zone's offset. The OpenAPI
document describes it from the same types (`schema()`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import TypeAdapter
from typing_extensions import TypedDict  # pydantic reads its annotations on Python < 3.12

from hub.rules.instants import MINUTE_US, from_us
from hub.rules.rounding import NeutralitySummary
from hub.rules.segments import Segment
from hub.rules.sheets import DaySheet, PayPeriodSheet, Timesheet, WeekSheet, hours

HOURS = Decimal("0.0001")
CENT = Decimal("0.01")


class SegmentDoc(TypedDict):
    start: str
    end: str
    category: str
    work_order: str | None
    source_ids: list[str]


class HoursOnlyDoc(TypedDict):
    id: str
    work_order: str
    hours: str


class DayDoc(TypedDict):
    date: str
    first_in: str
    last_out: str
    clocked_hours: str
    worked_hours: str
    paid_break_hours: str
    unpaid_meal_hours: str
    drive_hours: dict[str, str]
    on_site_hours: dict[str, str]
    gap_hours: str
    billable_hours: str
    regular_hours: str
    overtime_hours: str
    double_time_hours: str
    premium_hours: int
    holiday_worked_hours: str  # regular hours of a holiday, paid at the holiday rate instead
    corrected: bool
    segments: list[SegmentDoc]
    hours_only: list[HoursOnlyDoc]  # hours-only entries: worked time with no time of day


class WeekDoc(TypedDict):
    start: str
    worked_hours: str
    regular_hours: str
    overtime_hours: str
    double_time_hours: str
    premium_hours: int
    holiday_hours: str  # paid, not worked
    holiday_worked_hours: str
    cost: str


class PayPeriodDoc(TypedDict):
    start: str
    end: str
    regular_hours: str
    overtime_hours: str
    double_time_hours: str
    premium_hours: int
    holiday_hours: str
    holiday_worked_hours: str
    cost: str


class HolidayDoc(TypedDict):
    date: str
    name: str
    hours: str  # holiday hours paid for it


class DriveDoc(TypedDict):
    id: str
    start: str
    end: str
    km: float
    work_order: str | None
    work: bool
    reason: str


class ExceptionDoc(TypedDict):
    code: str
    at: str
    message: str
    source_ids: list[str]


class RoundingSummaryDoc(TypedDict):
    """What rounding changed in paid time (hub.rules.rounding): net_minutes is paid time
    with rounding minus without, in minutes to 2 decimals; > 0: the technician gained."""

    punches_moved: int
    days_in_employee_favour: int
    days_in_employer_favour: int
    net_minutes: float


class RoundingPeriodDoc(RoundingSummaryDoc):
    start: str
    end: str


class RoundingDoc(RoundingSummaryDoc):
    pay_periods: list[RoundingPeriodDoc]


class TimesheetDoc(TypedDict):
    technician_id: str
    name: str | None
    worked_hours: str
    billable_hours: str
    non_billable_hours: str
    utilisation: str
    cost: str
    days: list[DayDoc]
    weeks: list[WeekDoc]
    pay_periods: list[PayPeriodDoc]
    holidays: list[HolidayDoc]
    drives: list[DriveDoc]
    exceptions: list[ExceptionDoc]
    rounding: RoundingDoc


def h(us: int) -> str:
    """Microseconds as hours, exactly, to 4 places."""
    return str(hours(us).quantize(HOURS))


def _by_work_order(durations: dict[str | None, int] | dict[str, int]) -> dict[str, str]:
    return {(wo or ""): h(us) for wo, us in sorted(durations.items(), key=lambda item: item[0] or "")}


def _segment(segment: Segment, tz: ZoneInfo) -> SegmentDoc:
    return {"start": from_us(segment.start, tz).isoformat(), "end": from_us(segment.end, tz).isoformat(),
            "category": segment.category.value, "work_order": segment.work_order,
            "source_ids": list(segment.source_ids)}


def _day(day: DaySheet, tz: ZoneInfo, corrected: Collection[str]) -> DayDoc:
    return {
        "date": day.date.isoformat(),
        "first_in": from_us(day.first_in_us, tz).isoformat(),
        "last_out": from_us(day.last_out_us, tz).isoformat(),
        "clocked_hours": h(day.clocked), "worked_hours": h(day.worked),
        "paid_break_hours": h(day.paid_breaks), "unpaid_meal_hours": h(day.unpaid_meals),
        "drive_hours": _by_work_order(day.drive), "on_site_hours": _by_work_order(day.on_site),
        "gap_hours": h(day.gaps), "billable_hours": h(day.billable),
        "regular_hours": h(day.regular), "overtime_hours": h(day.overtime),
        "double_time_hours": h(day.double_time), "premium_hours": day.premium_hours,
        "holiday_worked_hours": h(day.holiday_worked),
        "corrected": bool(corrected) and any(i in corrected for s in day.segments for i in s.source_ids),
        "segments": [_segment(s, tz) for s in day.segments],
        "hours_only": [{"id": e.id, "work_order": e.work_order, "hours": h(e.length)} for e in day.entries],
    }


def _week(week: WeekSheet) -> WeekDoc:
    return {"start": week.start.isoformat(), "worked_hours": h(week.worked), "regular_hours": h(week.regular),
            "overtime_hours": h(week.overtime), "double_time_hours": h(week.double_time),
            "premium_hours": week.premium_hours, "holiday_hours": h(week.holiday),
            "holiday_worked_hours": h(week.holiday_worked), "cost": str(week.cost.quantize(CENT))}


def _period(period: PayPeriodSheet) -> PayPeriodDoc:
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "regular_hours": h(period.regular),
            "overtime_hours": h(period.overtime), "double_time_hours": h(period.double_time),
            "premium_hours": period.premium_hours, "holiday_hours": h(period.holiday),
            "holiday_worked_hours": h(period.holiday_worked), "cost": str(period.cost.quantize(CENT))}


def _rounding(summary: NeutralitySummary) -> RoundingSummaryDoc:
    return {"punches_moved": summary.punches_moved, "days_in_employee_favour": summary.days_in_employee_favour,
            "days_in_employer_favour": summary.days_in_employer_favour,
            "net_minutes": float((Decimal(summary.paid_change_us) / MINUTE_US).quantize(CENT))}


def timesheet_document(sheet: Timesheet, start: date | None = None, end: date | None = None,
                       name: str | None = None, corrected: Collection[str] = ()) -> TimesheetDoc:
    """`sheet` as the document, with the days and exceptions of `start`..`end` (both
    optional); `corrected`: ids of events a correction made, marking their days."""
    def inside(day: date) -> bool:
        return (start is None or day >= start) and (end is None or day <= end)

    tz = sheet.timezone
    return {
        "technician_id": sheet.tech, "name": name,
        "worked_hours": h(sheet.worked), "billable_hours": h(sheet.billable),
        "non_billable_hours": h(sheet.worked - sheet.billable),
        "utilisation": str(sheet.utilisation.quantize(HOURS)), "cost": str(sheet.cost.quantize(CENT)),
        "days": [_day(day, tz, corrected) for day in sheet.days if inside(day.date)],
        "weeks": [_week(w) for w in sheet.weeks],
        "pay_periods": [_period(p) for p in sheet.periods],
        "holidays": [{"date": p.day.isoformat(), "name": p.name, "hours": h(p.paid)}
                     for p in sheet.holidays if inside(p.day)],
        "drives": [{"id": c.leg.id, "start": c.leg.start.astimezone(tz).isoformat(),
                    "end": c.leg.end.astimezone(tz).isoformat(),
                    "km": c.leg.km, "work_order": c.leg.work_order, "work": c.work, "reason": c.reason}
                   for c in sheet.legs],
        "exceptions": [{"code": e.code.value, "at": e.at.astimezone(tz).isoformat(), "message": e.message,
                        "source_ids": list(e.source_ids)}
                       for e in sheet.exceptions if inside(e.at.astimezone(tz).date())],
        "rounding": {**_rounding(sheet.rounding.summary(start, end)),
                     "pay_periods": [{"start": p.start.isoformat(), "end": p.end.isoformat(),
                                      **_rounding(sheet.rounding.summary(p.start, p.end))}
                                     for p in sheet.periods]},
    }


def schema() -> dict[str, Any]:
    """The document's JSON Schema, for the OpenAPI document."""
    return TypeAdapter(TimesheetDoc).json_schema(ref_template="#/components/schemas/{model}")
