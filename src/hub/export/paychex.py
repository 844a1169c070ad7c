"""Paychex Flex time import (Standard Payroll Import): a CSV of one row per worker per pay
component (payroll-formats.md: the 16 columns in their order; Client ID up to 8
characters; Worker ID letters and digits only, up to 10, from the worker's payroll
identity; Pay Component the client's own, case-sensitive name of at most 20 characters,
written exactly as set; hours only, no rate)."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from hub.export.context import ExportContext, ExportError, Files, TechnicianSheet, code_name, code_units
from hub.export.mileage import mileage
from hub.export.period_hours import PayCode, PayPeriod, period_hours
from hub.export.rounding import hours_text
from hub.settings import ExportSettings

COLUMNS = ("CLIENT ID", "WORKER ID", "ORG", "JOB NUMBER", "PAY COMPONENT", "RATE", "RATE NUMBER",
           "HOURS", "UNITS", "LINE DATE", "AMOUNT", "CHECK SEQ NUMBER", "OVERRIDE STATE",
           "OVERRIDE LOCAL", "OVERRIDE LOCAL JURISDICTION", "LABOR ASSIGNMENT")
_AMOUNT = COLUMNS.index("AMOUNT")


def check(settings: ExportSettings) -> None:
    if not settings.paychex.client_id:
        raise ExportError("set [export.paychex] client_id (the Paychex client id, up to 8 characters) "
                          "in the hub settings")


def file_names(period: PayPeriod, settings: ExportSettings, preview: bool) -> tuple[str]:
    span = f"{period.start.isoformat()}_{period.end.isoformat()}"
    return (f"paychex-{settings.paychex.client_id}-{span}.csv",)


def _row(client: str, worker: str, component: str, hours: str = "", amount: str = "") -> list[str]:
    row = [""] * len(COLUMNS)
    row[0], row[1], row[4], row[7], row[_AMOUNT] = client, worker, component, hours, amount
    return row


def header(context: ExportContext, files: Files) -> None:
    csv.writer(files[0]).writerow(COLUMNS)


def rows(sheets: Iterable[TechnicianSheet], context: ExportContext, files: Files) -> None:
    paychex = context.settings.paychex
    out = csv.writer(files[0])
    for sheet in sheets:
        units = code_units(period_hours(sheet.timesheet, context.period))
        worker = context.identity(sheet.technician).employee_id or ""
        for code in PayCode:
            if units[code]:
                out.writerow(_row(paychex.client_id, worker, code_name(paychex.pay_codes, code),
                                  hours_text(units[code])))
        miles = mileage(sheet.timesheet, context.period, context.settings.mileage)
        if miles:
            out.writerow(_row(paychex.client_id, worker, paychex.mileage_component, amount=f"{miles.amount}"))
