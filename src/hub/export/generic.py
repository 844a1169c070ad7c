"""DepotClock's own CSV: one row per technician per pay code (and their mileage
reimbursement), and a detail file of every worked piece of time with its work order,
category and pay code (docs/export.md).

People open these files in a spreadsheet: they start with a UTF-8 byte-order mark (so
Excel reads accents right) and every text cell that would run as a formula is
neutralised (hub.export.cells). A preview has a first column `preview` that says PREVIEW
on every row. The detail rows of a technician and pay code add up to that code's summary
row exactly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from functools import lru_cache
from zoneinfo import ZoneInfo

from hub.export.cells import neutral
from hub.export.context import (
    PREVIEW,
    ExportContext,
    Files,
    TechnicianSheet,
    code_name,
    code_units,
    piece_units,
    preview_name,
)
from hub.export.mileage import mileage
from hub.export.period_hours import PayCode, PayPeriod, period_hours, worked_pieces
from hub.export.rounding import hours_text
from hub.rules.instants import LocalIso
from hub.rules.segments import Category
from hub.settings import ExportSettings

BOM = "\ufeff"  # UTF-8's byte-order mark: Excel reads the file as UTF-8
SUMMARY_COLUMNS = ("period_start", "period_end", "technician_id", "employee_id", "name",
                   "pay_code", "hours", "distance", "unit", "rate", "amount")
DETAIL_COLUMNS = ("technician_id", "employee_id", "workday", "start", "end", "category",
                  "work_order", "customer", "billable", "pay_code", "hours")


def file_names(period: PayPeriod, settings: ExportSettings, preview: bool) -> tuple[str, str]:
    span = f"{period.start.isoformat()}_{period.end.isoformat()}"
    return (preview_name(f"depotclock-hours-{span}.csv", preview),
            preview_name(f"depotclock-detail-{span}.csv", preview))


def _marked(columns: tuple[str, ...], preview: bool) -> tuple[str, ...]:
    return ("preview", *columns) if preview else columns


def header(context: ExportContext, files: Files) -> None:
    for out, columns in zip(files, (SUMMARY_COLUMNS, DETAIL_COLUMNS)):
        out.write(BOM)
        csv.writer(out).writerow(_marked(columns, context.preview))


def rows(sheets: Iterable[TechnicianSheet], context: ExportContext, files: Files) -> None:
    summary = csv.writer(files[0])
    period = context.period
    names = {code: code_name(context.settings.pay_codes, code) for code in PayCode}
    mileage_code = context.settings.mileage.code
    mark = [PREVIEW] if context.preview else []
    marked = f"{PREVIEW}," if context.preview else ""
    field = CsvField(neutral)
    for sheet in sheets:
        technician, timesheet = sheet.technician, sheet.timesheet
        employee = context.employee_id(technician)
        person = [neutral(technician.id), neutral(employee or ""), neutral(technician.name)]
        totals = code_units(period_hours(timesheet, period))
        for code in PayCode:
            if totals[code]:
                summary.writerow([*mark, period.start, period.end, *person, neutral(names[code]),
                                  hours_text(totals[code]), "", "", "", ""])
        miles = mileage(timesheet, period, context.settings.mileage)
        if miles:
            summary.writerow([*mark, period.start, period.end, *person, neutral(mileage_code), "",
                              miles.distance, miles.unit, miles.rate, miles.amount])
        pieces = worked_pieces(timesheet, period)
        instant = _local_iso(timesheet.timezone)
        work_order = context.work_order
        who = f"{marked}{field(technician.id)},{field(employee)}"
        files[1].write("".join([
            # the same bytes as csv.writer's row; instants, workdays, categories, yes/no and
            # hours never need quoting
            f"{who},{workday},{_span(instant, start, end, category)},{category.value},"
            f"{field(order or '')},{field(info.customer)},{'yes' if info.billable else 'no'},"
            f"{field(names[code])},{hours_text(units)}\r\n"
            for (workday, start, end, category, order, code), units in zip(pieces, piece_units(pieces, totals))
            for info in (work_order(order),)
        ]))


def _span(instant: LocalIso, start: int, end: int, category: Category) -> str:
    """The start and end cells: empty for an hours-only entry, which has no time of day."""
    return "," if category is Category.HOURS_ONLY else f"{instant(start)},{instant(end)}"


@lru_cache(maxsize=64)
def _local_iso(tz: ZoneInfo) -> LocalIso:
    """One formatter per zone for the process: its minutes serve every chunk of a run."""
    return LocalIso(tz)


class CsvField:
    """A value as csv.writer writes it within a row (quoted only where it must be), after
    `shape` (text only), each distinct value rendered once by the csv module itself: a
    detail file has hundreds of thousands of rows over a few thousand technicians and work
    orders."""

    LIMIT = 100_000  # values kept

    def __init__(self, shape: Callable[[str], str] = str) -> None:
        self.shape = shape
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
            # not alone: a lone empty field is written as ""
            self.writer.writerow([self.shape(value) if isinstance(value, str) else value, ""])
            text = self.texts[value] = self.buffer.getvalue()[:-3]  # less ",\r\n"
        return text
