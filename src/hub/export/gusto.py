"""Gusto payroll CSV upload: one row per employee, names required, hours per kind
(labor-rules.md E; column titles as Gusto's template writes them).

Gusto's upload takes no custom earning types, so California meal/rest premium hours,
holiday hours (Gusto pays holidays from its own holiday pay policy) and hours worked on a
holiday (at the holiday rate) are not in the file: the export run names the technicians
who have some, to enter by hand.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from hub.export.context import PREVIEW, PREVIEW_NOTE, ExportContext, Files, TechnicianSheet, code_units, preview_name
from hub.export.period_hours import PayCode, PayPeriod, period_hours
from hub.export.rounding import hours_text
from hub.settings import ExportSettings

COLUMNS = ("first_name", "last_name", "gusto_employee_id", "regular_hours", "overtime_hours",
           "double_overtime_hours")


def file_names(period: PayPeriod, settings: ExportSettings, preview: bool) -> tuple[str]:
    span = f"{period.start.isoformat()}_{period.end.isoformat()}"
    return (preview_name(f"gusto-hours-{span}.csv", preview),)


def split_name(name: str) -> tuple[str, str]:
    """"Maria del Carmen Lopez" -> ("Maria del Carmen", "Lopez")."""
    first, _, last = name.strip().rpartition(" ")
    return (first, last) if first else (last, "")


def header(context: ExportContext, files: Files) -> None:
    out = csv.writer(files[0])
    out.writerow(COLUMNS)
    if context.preview:
        out.writerow([PREVIEW, PREVIEW_NOTE, "", "", "", ""])


def rows(sheets: Iterable[TechnicianSheet], context: ExportContext, files: Files) -> None:
    out = csv.writer(files[0])
    for sheet in sheets:
        units = code_units(period_hours(sheet.timesheet, context.period))
        if not any(units[code] for code in (PayCode.REGULAR, PayCode.OVERTIME, PayCode.DOUBLE_TIME)):
            continue
        first, last = split_name(sheet.technician.name)
        out.writerow([first, last, context.employee_id(sheet.technician),
                      hours_text(units[PayCode.REGULAR]), hours_text(units[PayCode.OVERTIME]),
                      hours_text(units[PayCode.DOUBLE_TIME])])
