"""Timesheets as plain JSON-ready dicts: hours as numbers, instants as ISO strings."""

from __future__ import annotations

from decimal import Decimal

from hub.rules.instants import from_us
from hub.rules.segments import Segment
from hub.rules.sheets import DaySheet, Timesheet, hours

CENT = Decimal("0.01")


def _h(us: int) -> float:
    return float(round(hours(us), 4))


def _by_work_order(durations: dict) -> dict[str, float]:
    return {(wo or "(none)"): _h(us) for wo, us in sorted(durations.items(), key=lambda i: i[0] or "")}


def _segment(segment: Segment, tz) -> dict:
    return {
        "start": from_us(segment.start, tz).isoformat(),
        "end": from_us(segment.end, tz).isoformat(),
        "category": segment.category.value,
        "work_order": segment.work_order,
        "source_ids": list(segment.source_ids),
    }


def day_json(day: DaySheet, tz) -> dict:
    return {
        "date": day.date.isoformat(),
        "first_in": from_us(day.first_in_us, tz).isoformat(),
        "last_out": from_us(day.last_out_us, tz).isoformat(),
        "clocked_hours": _h(day.clocked),
        "worked_hours": _h(day.worked),
        "paid_break_hours": _h(day.paid_breaks),
        "unpaid_meal_hours": _h(day.unpaid_meals),
        "drive_hours": _by_work_order(day.drive),
        "on_site_hours": _by_work_order(day.on_site),
        "gap_hours": _h(day.gaps),
        "billable_hours": _h(day.billable),
        "regular_hours": _h(day.regular),
        "overtime_hours": _h(day.overtime),
        "double_time_hours": _h(day.double_time),
        "premium_hours": day.premium_hours,
        "segments": [_segment(s, tz) for s in day.segments],
    }


def _hours_and_cost(sheet) -> dict:
    return {
        "regular_hours": _h(sheet.regular),
        "overtime_hours": _h(sheet.overtime),
        "double_time_hours": _h(sheet.double_time),
        "premium_hours": sheet.premium_hours,
        "cost": str(sheet.cost.quantize(CENT)),
    }


def timesheet_json(sheet: Timesheet) -> dict:
    return {
        "tech": sheet.tech,
        "worked_hours": _h(sheet.worked),
        "billable_hours": _h(sheet.billable),
        "non_billable_hours": _h(sheet.worked - sheet.billable),
        "utilisation": float(round(sheet.utilisation, 4)),
        "cost": str(sheet.cost.quantize(CENT)),
        "days": [day_json(day, sheet.timezone) for day in sheet.days],
        "weeks": [
            {"start": w.start.isoformat(), "worked_hours": _h(w.worked), **_hours_and_cost(w)}
            for w in sheet.weeks
        ],
        "pay_periods": [
            {"start": p.start.isoformat(), "end": p.end.isoformat(), **_hours_and_cost(p)}
            for p in sheet.periods
        ],
        "drives": [
            {
                "id": c.leg.id,
                "start": c.leg.start.isoformat(),
                "end": c.leg.end.isoformat(),
                "km": c.leg.km,
                "work_order": c.leg.work_order,
                "work": c.work,
                "reason": c.reason,
            }
            for c in sheet.legs
        ],
        "exceptions": [
            {"code": e.code.value, "at": e.at.isoformat(), "message": e.message,
             "source_ids": list(e.source_ids)}
            for e in sheet.exceptions
        ],
        "rounding": {
            "punches": sheet.rounding.punches,
            "in_employee_favour": sheet.rounding.in_employee_favour,
            "in_employer_favour": sheet.rounding.in_employer_favour,
            "net_minutes": sheet.rounding.net_minutes,
        },
    }
