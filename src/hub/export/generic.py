"""DepotClock's own CSV: one row per technician per pay code, and a detail file of every
worked piece of time with its work order, category and pay code (docs/export.md).

The detail rows of a technician and pay code add up to that code's summary row exactly.
"""

from __future__ import annotations

import csv
from typing import Iterable, TextIO
from zoneinfo import ZoneInfo

from hub.export.context import (
    PREVIEW, PREVIEW_NOTE, ExportContext, code_name, code_units, piece_units, preview_name,
)
from hub.export.period_hours import PayCode, PayPeriod, period_hours, worked_pieces
from hub.export.rounding import hours_text
from hub.records import TechnicianSheet
from hub.rules.instants import from_us
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
        pieces = list(worked_pieces(timesheet, period))
        instant = _LocalTimes(timesheet.timezone)
        for piece, units in zip(pieces, piece_units(pieces, totals)):
            info = context.work_order(piece.work_order)
            detail.writerow([  # a StrEnum is written as its value
                technician.id, employee, piece.workday, instant(piece.start), instant(piece.end),
                piece.category, piece.work_order or "", info.customer,
                "yes" if info.billable else "no", names[piece.code], hours_text(units),
            ])


class _LocalTimes:
    """ISO 8601 instants in one zone; a piece mostly starts where the previous one ended,
    so the last one is kept (a payroll run writes hundreds of thousands)."""

    def __init__(self, tz: ZoneInfo):
        self.tz, self.last_us, self.last = tz, None, ""

    def __call__(self, us: int) -> str:
        if us != self.last_us:
            self.last_us, self.last = us, from_us(us, self.tz).isoformat()
        return self.last
