"""ADP Workforce Now paydata import: a header-based CSV, one row per employee
(labor-rules.md E: Co Code first, Batch ID second, File # third; hours codes for the
rest; the file named PRcccEPI.csv after the 3-character company code).

Double time goes in Hours 3 and the California meal/rest premium in Hours 4, each under
the code set up in ADP ([export.adp] pay_codes). Holiday hours (paid, not worked) and hours
worked on a holiday go on a second row of the employee's, in its Hours 3 and Hours 4.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from hub.export.context import PREVIEW, ExportContext, ExportError, Files, TechnicianSheet, code_units, preview_name
from hub.export.period_hours import PayCode, PayPeriod, period_hours
from hub.export.rounding import hours_text
from hub.settings import ExportSettings

COLUMNS = ("Co Code", "Batch ID", "File #", "Reg Hours", "O/T Hours", "Hours 3 Code",
           "Hours 3 Amount", "Hours 4 Code", "Hours 4 Amount")


def check(settings: ExportSettings) -> None:
    if not settings.adp.company_code:
        raise ExportError("set [export.adp] company_code (ADP's 2- or 3-character company code) "
                          "in the hub settings")


def file_names(period: PayPeriod, settings: ExportSettings, preview: bool) -> tuple[str]:
    # a 2-character company code is padded with an underscore: PRcc_EPI.csv
    return (preview_name(f"PR{settings.adp.company_code.ljust(3, '_')}EPI.csv", preview),)


def _amount(units: int) -> str:
    return hours_text(units) if units else ""


def header(context: ExportContext, files: Files) -> None:
    csv.writer(files[0]).writerow(COLUMNS)


def rows(sheets: Iterable[TechnicianSheet], context: ExportContext, files: Files) -> None:
    adp = context.settings.adp
    out = csv.writer(files[0])
    batch = PREVIEW if context.preview else adp.batch_id  # a preview's batch says so in ADP
    for sheet in sheets:
        units = code_units(period_hours(sheet.timesheet, context.period))
        double, premium = units[PayCode.DOUBLE_TIME], units[PayCode.PREMIUM]
        if units[PayCode.REGULAR] or units[PayCode.OVERTIME] or double or premium:
            out.writerow([
                adp.company_code, batch, context.employee_id(sheet.technician),
                _amount(units[PayCode.REGULAR]), _amount(units[PayCode.OVERTIME]),
                adp.pay_codes.double_time if double else "", _amount(double),
                adp.pay_codes.premium if premium else "", _amount(premium),
            ])
        holiday, worked = units[PayCode.HOLIDAY], units[PayCode.HOLIDAY_WORKED]
        if holiday or worked:
            out.writerow([
                adp.company_code, batch, context.employee_id(sheet.technician), "", "",
                adp.pay_codes.holiday if holiday else "", _amount(holiday),
                adp.pay_codes.holiday_worked if worked else "", _amount(worked),
            ])
