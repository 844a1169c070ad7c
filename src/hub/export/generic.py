"""DepotClock's own CSV: one row per technician per pay code, and a detail file of every
worked piece of time with its work order, category and pay code (docs/export.md).

The detail rows of a technician and pay code add up to that code's summary row exactly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import lru_cache
from zoneinfo import ZoneInfo

from hub.export.context import (
    PREVIEW,
    PREVIEW_NOTE,
    ExportContext,
    Files,
    TechnicianSheet,
    code_name,
    code_units,
    piece_units,
    preview_name,
)
from hub.export.period_hours import PayCode, PayPeriod, period_hours, worked_pieces
from hub.export.rounding import hours_text
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


def header(context: ExportContext, files: Files) -> None:
    summary, detail = csv.writer(files[0]), csv.writer(files[1])
    summary.writerow(SUMMARY_COLUMNS)
    detail.writerow(DETAIL_COLUMNS)
    if context.preview:
        period = context.period
        summary.writerow([period.start, period.end, PREVIEW, PREVIEW, PREVIEW_NOTE, "", ""])
        detail.writerow([PREVIEW, PREVIEW, "", "", "", "", "", PREVIEW_NOTE, "", "", ""])


def rows(sheets: Iterable[TechnicianSheet], context: ExportContext, files: Files) -> None:
    summary = csv.writer(files[0])
    period = context.period
    names = {code: code_name(context.settings.pay_codes, code) for code in PayCode}
    field = CsvField()
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
        person = f"{field(technician.id)},{field(employee)}"
        files[1].write("".join([
            # the same bytes as csv.writer's row; instants, workdays, categories, yes/no and
            # hours never need quoting
            f"{person},{workday},{instant(start)},{instant(end)},{category.value},"
            f"{field(order or '')},{field(info.customer)},{'yes' if info.billable else 'no'},"
            f"{field(names[code])},{hours_text(units)}\r\n"
            for (workday, start, end, category, order, code), units in zip(pieces, piece_units(pieces, totals))
            for info in (work_order(order),)
        ]))


@lru_cache(maxsize=64)
def _local_iso(tz: ZoneInfo) -> LocalIso:
    """One formatter per zone for the process: its minutes serve every chunk of a run."""
    return LocalIso(tz)


class CsvField:
    """A value as csv.writer writes it within a row (quoted only where it must be), each
    distinct value rendered once by the csv module itself: a detail file has hundreds of
    thousands of rows over a few thousand technicians and work orders."""

    LIMIT = 100_000  # values kept

    def __init__(self) -> None:
        self.buffer = io.StringIO(newline="")
        self.writer = csv.writer(self.buffer)
        self.texts: dict[object, str] = {}

    def __call__(self, value: object) -> str:
        text = self.texts.get(value)
        if text is None:
            if len(self.texts) >= self.LIMIT:
                self.texts.clear()
            self.buffer.seek(0)
            self.buffer.truncate()
            self.writer.writerow([value, ""])  # not alone: a lone empty field is written as ""
            text = self.texts[value] = self.buffer.getvalue()[:-3]  # less ",\r\n"
        return text
