"""DepotClock's own CSV: one row per technician per pay code, and a detail file of every
worked piece of time with its work order, category and pay code (docs/export.md).

The detail rows of a technician and pay code add up to that code's summary row exactly.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from typing import Iterable, TextIO
from zoneinfo import ZoneInfo

from hub.export.context import (
    PREVIEW, PREVIEW_NOTE, ExportContext, code_name, code_units, piece_units, preview_name,
)
from hub.export.period_hours import PayCode, PayPeriod, period_hours, worked_pieces
from hub.export.rounding import hours_text
from hub.records import TechnicianSheet
from hub.rules.instants import LocalIso
from hub.settings import ExportSettings

SUMMARY_COLUMNS = ("period_start", "period_end", "technician_id", "employee_id", "name",
                   "pay_code", "hours")
DETAIL_COLUMNS = ("technician_id", "employee_id", "workday", "start", "end", "category",
                  "work_order", "customer", "billable", "pay_code", "hours")


def file_names(period: PayPeriod, settings: ExportSettings, preview: bool) -> tuple[str, str]:
    span = f"{period.start.isoformat()}_{period.end.isoformat()}"
    return (preview_name(f"depotclock-hours-{span}.csv", preview),
            preview_name(f"depotclock-detail-{span}.csv", preview))


def header(context: ExportContext, files: tuple[TextIO, TextIO]) -> None:
    summary, detail = csv.writer(files[0]), csv.writer(files[1])
    summary.writerow(SUMMARY_COLUMNS)
    detail.writerow(DETAIL_COLUMNS)
    if context.preview:
        period = context.period
        summary.writerow([period.start, period.end, PREVIEW, PREVIEW, PREVIEW_NOTE, "", ""])
        detail.writerow([PREVIEW, PREVIEW, "", "", "", "", "", PREVIEW_NOTE, "", "", ""])


def rows(sheets: Iterable[TechnicianSheet], context: ExportContext, files: tuple[TextIO, TextIO]) -> None:
    summary, detail = csv.writer(files[0]), csv.writer(files[1])
    period = context.period
    names = {code: code_name(context.settings.pay_codes, code) for code in PayCode}
    for sheet in sheets:
        technician, timesheet = sheet.technician, sheet.timesheet
        employee = context.employee_id(technician)
        totals = code_units(period_hours(timesheet, period))
        for code in PayCode:
            if totals[code]:
                summary.writerow([period.start, period.end, technician.id, employee, technician.name,
                                  names[code], hours_text(totals[code])])
        pieces = worked_pieces(timesheet, period)
        instant = _local_iso(timesheet.timezone)
        work_order = context.work_order
        detail.writerows([  # a StrEnum is written as its value
            (technician.id, employee, workday, instant(start), instant(end), category, order or "",
             info.customer, "yes" if info.billable else "no", names[code], hours_text(units))
            for (workday, start, end, category, order, code), units in zip(pieces, piece_units(pieces, totals))
            for info in (work_order(order),)
        ])


@lru_cache(maxsize=64)
def _local_iso(tz: ZoneInfo) -> LocalIso:
    """One formatter per zone for the process: its minutes serve every chunk of a run."""
    return LocalIso(tz)
