"""The export formats by name: what files each writes and how."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from hub.export import adp, generic, gusto, iif, paychex
from hub.export.context import ExportContext, ExportError, Files, TechnicianSheet
from hub.export.period_hours import PayCode, PayPeriod
from hub.settings import ExportSettings


def _no_check(settings: ExportSettings) -> None:
    return None


def _any_id(employee_id: str) -> str | None:
    return None


@dataclass(frozen=True)
class ExportFormat:
    name: str
    title: str
    file_names: Callable[[PayPeriod, ExportSettings, bool], Sequence[str]]
    header: Callable[[ExportContext, Files], None]  # column titles, preview marker
    rows: Callable[[Iterable[TechnicianSheet], ExportContext, Files], None]
    check: Callable[[ExportSettings], None] = _no_check  # raises ExportError: a missing setting
    employee_problem: Callable[[str], str | None] = _any_id  # why an id cannot go in the file
    needs_employee_id: bool = True
    uses_work_orders: bool = False  # customers and billable status of the work orders
    dropped: tuple[PayCode, ...] = ()  # pay codes the format has nowhere to put
    newline: str = ""  # the csv module writes its own \r\n

    def write(self, sheets: Iterable[TechnicianSheet], context: ExportContext, files: Files) -> None:
        self.header(context, files)
        self.rows(sheets, context, files)


FORMATS = {
    f.name: f for f in (
        ExportFormat("generic", "DepotClock CSV (hours and detail)", generic.file_names, generic.header,
                     generic.rows, uses_work_orders=True),
        ExportFormat("adp", "ADP Workforce Now paydata", adp.file_names, adp.header, adp.rows, adp.check),
        ExportFormat("paychex", "Paychex Flex", paychex.file_names, paychex.header, paychex.rows,
                     paychex.check, paychex.employee_problem),
        # QuickBooks matches time to employees by name
        ExportFormat("iif", "QuickBooks Desktop IIF", iif.file_names, iif.header, iif.rows,
                     needs_employee_id=False, uses_work_orders=True),
        ExportFormat("gusto", "Gusto CSV", gusto.file_names, gusto.header, gusto.rows,
                     dropped=(PayCode.PREMIUM, PayCode.HOLIDAY, PayCode.HOLIDAY_WORKED)),
    )
}


def export_format(name: str) -> ExportFormat:
    if name not in FORMATS:
        raise ExportError(f"no export format {name!r}; choose one of {', '.join(FORMATS)}")
    return FORMATS[name]
