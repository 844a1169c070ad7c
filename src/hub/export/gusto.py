"""Gusto payroll CSV upload: one row per employee, matched by Gusto's own employee id and
the employee's given and family names (payroll-formats.md; column titles as Gusto's
template writes them).

California meal/rest premium hours go in the template's `missed_break_hours` column: a
CSV upload overwrites what was entered by hand for those people, so nothing is left to
enter by hand.
Holiday hours (Gusto pays holidays from its own holiday pay policy) and hours worked on a
holiday (at the holiday rate) are not in the file: the export run names the technicians
who have some, to enter by hand.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from hub.export.context import ExportContext, Files, TechnicianSheet, code_units
from hub.export.period_hours import PayCode, PayPeriod, period_hours
from hub.export.rounding import hours_text
from hub.settings import ExportSettings

COLUMNS = ("first_name", "last_name", "gusto_employee_id", "regular_hours", "overtime_hours",
           "double_overtime_hours", "missed_break_hours")


def file_names(period: PayPeriod, settings: ExportSettings, preview: bool) -> tuple[str]:
    span = f"{period.start.isoformat()}_{period.end.isoformat()}"
    return (f"gusto-hours-{span}.csv",)


def header(context: ExportContext, files: Files) -> None:
    csv.writer(files[0]).writerow(COLUMNS)


def rows(sheets: Iterable[TechnicianSheet], context: ExportContext, files: Files) -> None:
    out = csv.writer(files[0])
    for sheet in sheets:
        units = code_units(period_hours(sheet.timesheet, context.period))
        if not any(units[c] for c in (PayCode.REGULAR, PayCode.OVERTIME, PayCode.DOUBLE_TIME, PayCode.PREMIUM)):
            continue
        technician = sheet.technician
        out.writerow([technician.given_name, technician.family_name,
                      context.identity(technician).employee_id,
                      hours_text(units[PayCode.REGULAR]), hours_text(units[PayCode.OVERTIME]),
                      hours_text(units[PayCode.DOUBLE_TIME]), hours_text(units[PayCode.PREMIUM])])
