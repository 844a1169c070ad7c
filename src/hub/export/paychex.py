"""Paychex Flex time import: a CSV of one row per worker per pay component
(labor-rules.md E: the 16-column header; Client ID up to 8 characters, Worker ID up to
10; Pay Component is the client's own, case-sensitive name; hours only, no rate)."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from hub.export.context import (
    PREVIEW,
    PREVIEW_NOTE,
    ExportContext,
    ExportError,
    Files,
    TechnicianSheet,
    code_name,
    code_units,
    preview_name,
)
from hub.export.period_hours import PayCode, PayPeriod, period_hours
from hub.export.rounding import hours_text
from hub.settings import ExportSettings

COLUMNS = ("CLIENT ID", "WORKER ID", "ORG", "JOB NUMBER", "PAY COMPONENT", "RATE", "RATE NUMBER",
           "HOURS", "UNITS", "LINE DATE", "AMOUNT", "CHECK SEQ NUMBER", "OVERRIDE STATE",
           "OVERRIDE LOCAL", "OVERRIDE LOCAL JURISDICTION", "LABOR ASSIGNMENT")
WORKER_ID_MAX = 10


def check(settings: ExportSettings) -> None:
    if not settings.paychex.client_id:
        raise ExportError("set [export.paychex] client_id (the Paychex client id, up to 8 characters) "
                          "in the hub settings")


def employee_problem(employee_id: str) -> str | None:
    if len(employee_id) > WORKER_ID_MAX:
        return f"employee id {employee_id!r} is longer than Paychex's {WORKER_ID_MAX} characters"
    return None


def file_names(period: PayPeriod, settings: ExportSettings, preview: bool) -> tuple[str]:
    span = f"{period.start.isoformat()}_{period.end.isoformat()}"
    return (preview_name(f"paychex-{settings.paychex.client_id}-{span}.csv", preview),)


def _row(client: str, worker: str, component: str, hours: str, note: str = "") -> list[str]:
    row = [""] * len(COLUMNS)
    row[0], row[1], row[4], row[7] = client, worker, component, hours
    if note:
        row[COLUMNS.index("LABOR ASSIGNMENT")] = note
    return row


def header(context: ExportContext, files: Files) -> None:
    out = csv.writer(files[0])
    out.writerow(COLUMNS)
    if context.preview:
        # an unknown worker: Paychex refuses the row, so a preview cannot be imported by mistake
        out.writerow(_row(context.settings.paychex.client_id, PREVIEW, "", "", PREVIEW_NOTE))


def rows(sheets: Iterable[TechnicianSheet], context: ExportContext, files: Files) -> None:
    paychex = context.settings.paychex
    out = csv.writer(files[0])
    for sheet in sheets:
        units = code_units(period_hours(sheet.timesheet, context.period))
        worker = context.employee_id(sheet.technician) or ""  # None never comes (no id: left out); csv writes it as ""
        for code in PayCode:
            if units[code]:
                out.writerow(_row(paychex.client_id, worker, code_name(paychex.pay_codes, code),
                                  hours_text(units[code])))
