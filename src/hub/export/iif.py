"""QuickBooks Desktop time activities (IIF, Timer import): one TIMEACT line per
technician, day, work order and payroll item, tab-separated, in Windows-1252
(payroll-formats.md, from Intuit's IIF reference).

The TIMERHDR carries the company file's own COMPANYNAME and COMPANYCREATETIME (required
settings: QuickBooks refuses a file of another company). EMP is the technician's
QuickBooks employee list name and JOB their work order's QuickBooks job, each exactly as
the lists have it; XFERTOPAYROLL is Y so the time goes to payroll, as peers write it.
DURATION is H:MM and at most 23:59, so a longer activity is written as several lines;
BILLINGSTATUS is 1 on a billable work order's time, else 0. Durations are whole minutes,
rounded once per technician and pay code and shared out by largest remainder. Holiday
hours (paid, not worked) are a line on the holiday under the holiday payroll item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from hub.export.cells import text_problem
from hub.export.context import ExportContext, ExportError, Files, TechnicianSheet, code_name, code_units, piece_units
from hub.export.identities import QUICKBOOKS_ENCODING, windows_1252_problem
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

ENCODING = QUICKBOOKS_ENCODING
MAX_MINUTES = 23 * 60 + 59
TIMERHDR = ("!TIMERHDR", "VER", "REL", "COMPANYNAME", "IMPORTEDBEFORE", "FROMTIMER",
            "COMPANYCREATETIME")
TIMEACT = ("!TIMEACT", "DATE", "JOB", "EMP", "ITEM", "PITEM", "DURATION", "PROJ", "NOTE",
           "XFERTOPAYROLL", "BILLINGSTATUS")
_CATEGORY_NOTES = {Category.ON_SITE: "on site", Category.DRIVE: "drive",
                   Category.PAID_BREAK: "paid break", Category.GAP: "unassigned",
                   Category.HOURS_ONLY: "hours only"}


def check(settings: ExportSettings) -> None:
    iif = settings.iif
    if not iif.company_name or not iif.company_create_time:
        raise ExportError("set [export.iif] company_name and company_create_time to the QuickBooks company "
                          "file's own values (from the !TIMERHDR line of a Timer export of it)")
    for setting, value in (("company_name", iif.company_name), ("service_item", iif.service_item),
                           *((f"pay_codes.{k}", v) for k, v in iif.pay_codes.model_dump().items())):
        problem = text_problem(value) or windows_1252_problem(value)
        if problem:
            raise ExportError(f"[export.iif] {setting}: {problem}")


def file_names(period: PayPeriod, settings: ExportSettings, preview: bool) -> tuple[str]:
    span = f"{period.start.isoformat()}_{period.end.isoformat()}"
    return (f"quickbooks-time-{span}.iif",)


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
    out.write(_line(["TIMERHDR", "8", "0", iif.company_name, "N", "Y", str(iif.company_create_time)]))
    out.write(_line(TIMEACT))


def rows(sheets: Iterable[TechnicianSheet], context: ExportContext, files: Files) -> None:
    iif, out = context.settings.iif, files[0]
    for sheet in sheets:
        employee = context.identity(sheet.technician).employee_name or ""
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
            job = (info.quickbooks_job or "") if work_order else ""
            note = ", ".join(_CATEGORY_NOTES[c] for c in Category if c in categories)
            for part in split_minutes(minutes):
                out.write(_line([
                    "TIMEACT", day.strftime("%m/%d/%y"), job, employee, iif.service_item if work_order else "",
                    code_name(iif.pay_codes, code), duration(part), "", note, "Y",
                    "1" if info.billable else "0",
                ]))
        for day, premium in premium_days(timesheet, context.period):
            out.write(_line([
                "TIMEACT", day.strftime("%m/%d/%y"), "", employee, "",
                code_name(iif.pay_codes, PayCode.PREMIUM), duration(premium * 60), "",
                "California meal/rest premium (Lab. Code 226.7)", "Y", "0",
            ]))
        paid = holiday_days(timesheet, context.period)
        shares = apportion([us for _, _, us in paid], MINUTE_US, totals[PayCode.HOLIDAY])
        for (day, name, _), minutes in zip(paid, shares):
            for part in split_minutes(minutes):
                out.write(_line([
                    "TIMEACT", day.strftime("%m/%d/%y"), "", employee, "",
                    code_name(iif.pay_codes, PayCode.HOLIDAY), duration(part), "",
                    "Holiday: " + " ".join(name.split()), "Y", "0",
                ]))
