"""QuickBooks Desktop time activities (IIF): a timer header, then one TIMEACT line per
technician, day, work order and payroll item, tab-separated (labor-rules.md E, from
Intuit's IIF reference).

DURATION is H:MM and at most 23:59, so a longer activity is written as several lines;
BILLINGSTATUS is 1 on a billable work order's time, else 0. Durations are whole minutes,
rounded once per technician and pay code and shared out by largest remainder. Holiday
hours (paid, not worked) are a line on the holiday under the holiday payroll item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from hub.export.context import (
    PREVIEW_NOTE,
    ExportContext,
    Files,
    TechnicianSheet,
    code_name,
    code_units,
    piece_units,
    preview_name,
)
from hub.export.period_hours import (
    PayCode,
    PayPeriod,
    holiday_days,
    period_hours,
    premium_days,
    worked_pieces,
)
from hub.export.rounding import MINUTE_US, apportion
from hub.rules.segments import Category
from hub.settings import ExportSettings

MAX_MINUTES = 23 * 60 + 59
TIMERHDR = ("!TIMERHDR", "VER", "REL", "COMPANYNAME", "IMPORTEDBEFORE", "FROMTIMER",
            "COMPANYCREATETIME")
TIMEACT = ("!TIMEACT", "DATE", "JOB", "EMP", "ITEM", "PITEM", "DURATION", "PROJ", "NOTE",
           "BILLINGSTATUS")
_CATEGORY_NOTES = {Category.ON_SITE: "on site", Category.DRIVE: "drive",
                   Category.PAID_BREAK: "paid break", Category.GAP: "unassigned"}


def file_names(period: PayPeriod, settings: ExportSettings, preview: bool) -> tuple[str]:
    span = f"{period.start.isoformat()}_{period.end.isoformat()}"
    return (preview_name(f"quickbooks-time-{span}.iif", preview),)


def _field(text: str) -> str:
    """Tabs and line breaks would end the field or the line."""
    return " ".join(text.split())


def duration(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def split_minutes(minutes: int) -> list[int]:
    """Whole minutes as activities of at most 23:59 each."""
    parts = [MAX_MINUTES] * (minutes // MAX_MINUTES)
    return parts + [minutes % MAX_MINUTES] if minutes % MAX_MINUTES else parts


def _line(values: Iterable[str]) -> str:
    return "\t".join(values) + "\r\n"


def header(context: ExportContext, files: Files) -> None:
    iif, out = context.settings.iif, files[0]
    out.write(_line(TIMERHDR))
    out.write(_line(["TIMERHDR", "8", "0", _field(iif.company_name), "N", "Y",
                     str(iif.company_create_time)]))
    out.write(_line(TIMEACT))


def rows(sheets: Iterable[TechnicianSheet], context: ExportContext, files: Files) -> None:
    iif, out = context.settings.iif, files[0]
    prefix = PREVIEW_NOTE + ": " if context.preview else ""
    for sheet in sheets:
        employee = _field(sheet.technician.name)
        timesheet = sheet.timesheet
        totals = code_units(period_hours(timesheet, context.period), MINUTE_US)
        pieces = list(worked_pieces(timesheet, context.period))
        # day, work order, pay code -> minutes and what the time was
        activities: dict[tuple[date, str, PayCode], list] = defaultdict(lambda: [0, set()])
        for piece, minutes in zip(pieces, piece_units(pieces, totals, MINUTE_US)):
            activity = activities[(piece.workday, piece.work_order or "", piece.code)]
            activity[0] += minutes
            activity[1].add(piece.category)
        for (day, work_order, code), (minutes, categories) in sorted(activities.items()):
            info = context.work_order(work_order or None)
            job = f"{_field(info.customer)}:{_field(work_order)}" if work_order else ""
            note = prefix + ", ".join(_CATEGORY_NOTES[c] for c in Category if c in categories)
            for part in split_minutes(minutes):
                out.write(_line([
                    "TIMEACT", day.strftime("%m/%d/%y"), job, employee,
                    _field(iif.service_item) if work_order else "",
                    _field(code_name(iif.pay_codes, code)), duration(part), "", note,
                    "1" if info.billable else "0",
                ]))
        for day, premium in premium_days(timesheet, context.period):
            out.write(_line([
                "TIMEACT", day.strftime("%m/%d/%y"), "", employee, "",
                _field(code_name(iif.pay_codes, PayCode.PREMIUM)), duration(premium * 60), "",
                prefix + "California meal/rest premium (Lab. Code 226.7)", "0",
            ]))
        paid = holiday_days(timesheet, context.period)
        shares = apportion([us for _, _, us in paid], MINUTE_US, totals[PayCode.HOLIDAY])
        for (day, name, _), minutes in zip(paid, shares):
            for part in split_minutes(minutes):
                out.write(_line([
                    "TIMEACT", day.strftime("%m/%d/%y"), "", employee, "",
                    _field(code_name(iif.pay_codes, PayCode.HOLIDAY)), duration(part), "",
                    prefix + "Holiday: " + _field(name), "0",
                ]))
