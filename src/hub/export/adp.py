"""ADP Workforce Now paydata import: a header-based CSV, one row per employee
(payroll-formats.md: Co Code first, Batch ID second, File # third; hours codes for the
rest; the file named PRcccEPI.csv after the 3-character company code).

File # is the employee's ADP file number from their payroll identity, zero-padded to
six digits. Batch ID is `[export.adp] batch_id` followed by the export's number: unique
per export, and the same when the export is downloaded again (its bytes are kept).
Double time goes in Hours 3 and the California meal/rest premium in Hours 4, each under
the code set up in ADP ([export.adp] pay_codes); mileage reimbursement in Earnings 3. Holiday
hours (paid, not worked) and hours worked on a holiday go on a second row of the
employee's, in its Hours 3 and Hours 4.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from hub.export.context import ExportContext, ExportError, Files, TechnicianSheet, code_units
from hub.export.identities import adp_file_number
from hub.export.mileage import mileage
from hub.export.period_hours import PayCode, PayPeriod, period_hours
from hub.export.rounding import hours_text
from hub.settings import ExportSettings

COLUMNS = ("Co Code", "Batch ID", "File #", "Reg Hours", "O/T Hours", "Hours 3 Code",
           "Hours 3 Amount", "Hours 4 Code", "Hours 4 Amount", "Earnings 3 Code", "Earnings 3 Amount")


def check(settings: ExportSettings) -> None:
    if not settings.adp.company_code:
        raise ExportError("set [export.adp] company_code (ADP's 2- or 3-character company code) "
                          "in the hub settings")


def file_names(period: PayPeriod, settings: ExportSettings, preview: bool) -> tuple[str]:
    # a 2-character company code is padded with an underscore: PRcc_EPI.csv
    return (f"PR{settings.adp.company_code.ljust(3, '_')}EPI.csv",)


def batch_id(context: ExportContext) -> str:
    return f"{context.settings.adp.batch_id}{context.export_id}"


def _amount(units: int) -> str:
    return hours_text(units) if units else ""


def header(context: ExportContext, files: Files) -> None:
    csv.writer(files[0]).writerow(COLUMNS)


def rows(sheets: Iterable[TechnicianSheet], context: ExportContext, files: Files) -> None:
    settings = context.settings
    adp = settings.adp
    out = csv.writer(files[0])
    batch = batch_id(context)
    for sheet in sheets:
        units = code_units(period_hours(sheet.timesheet, context.period))
        miles = mileage(sheet.timesheet, context.period, settings.mileage)
        file_number = adp_file_number(context.identity(sheet.technician).employee_id or "")
        double, premium = units[PayCode.DOUBLE_TIME], units[PayCode.PREMIUM]
        if units[PayCode.REGULAR] or units[PayCode.OVERTIME] or double or premium or miles:
            out.writerow([
                adp.company_code, batch, file_number,
                _amount(units[PayCode.REGULAR]), _amount(units[PayCode.OVERTIME]),
                adp.pay_codes.double_time if double else "", _amount(double),
                adp.pay_codes.premium if premium else "", _amount(premium),
                adp.mileage_code if miles else "", f"{miles.amount}" if miles else "",
            ])
        holiday, worked = units[PayCode.HOLIDAY], units[PayCode.HOLIDAY_WORKED]
        if holiday or worked:
            out.writerow([
                adp.company_code, batch, file_number, "", "",
                adp.pay_codes.holiday if holiday else "", _amount(holiday),
                adp.pay_codes.holiday_worked if worked else "", _amount(worked), "", "",
            ])
