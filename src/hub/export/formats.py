"""The export formats by name: what files each writes and how."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from hub.export import adp, generic, gusto, iif, paychex
from hub.export.cells import text_problem
from hub.export.context import ExportContext, ExportError, Files, TechnicianSheet
from hub.export.identities import identity_problem
from hub.export.period_hours import PayCode, PayPeriod
from hub.settings import ExportSettings
from hub.store.organisation import Technician


def _no_check(settings: ExportSettings) -> None:
    return None


def _payroll_id(technician: Technician, context: ExportContext) -> str | None:
    return None if context.employee_id(technician) else "no payroll id"


def _identity(provider: str, technician: Technician, context: ExportContext) -> str | None:
    return identity_problem(provider, context.identities.get(technician.id))


def _gusto_person(technician: Technician, context: ExportContext) -> str | None:
    """Gusto matches first_name and last_name too: both are required."""
    for label, name in (("given name", technician.given_name), ("family name", technician.family_name)):
        if not name:
            return f"no {label} (Gusto needs first_name and last_name)"
        if problem := text_problem(name):
            return f"{label} {problem}"
    return _identity("gusto", technician, context)


@dataclass(frozen=True)
class ExportFormat:
    name: str
    title: str
    file_names: Callable[[PayPeriod, ExportSettings, bool], Sequence[str]]
    header: Callable[[ExportContext, Files], None]  # column titles
    rows: Callable[[Iterable[TechnicianSheet], ExportContext, Files], None]
    check: Callable[[ExportSettings], None] = _no_check  # raises ExportError: a missing setting
    # why a technician cannot go in the file (no or a malformed identity), or None
    person_problem: Callable[[Technician, ExportContext], str | None] = _payroll_id
    provider: str | None = None  # whose payroll identities the file carries (hub.export.identities)
    uses_work_orders: bool = False  # customers and billable status of the work orders
    dropped: tuple[PayCode, ...] = ()  # pay codes the format has nowhere to put
    uses_jobs: bool = False  # each work order's QuickBooks job
    previews: bool = False  # a preview may be written in it (no payroll system imports it)
    mileage: bool = False  # it has a reimbursement line for mileage
    encoding: str = "utf-8"
    newline: str = ""  # the csv module writes its own \r\n

    def write(self, sheets: Iterable[TechnicianSheet], context: ExportContext, files: Files) -> None:
        self.header(context, files)
        self.rows(sheets, context, files)


FORMATS = {
    f.name: f for f in (
        ExportFormat("generic", "DepotClock CSV (hours and detail)", generic.file_names, generic.header,
                     generic.rows, uses_work_orders=True, previews=True, mileage=True),
        ExportFormat("adp", "ADP Workforce Now paydata", adp.file_names, adp.header, adp.rows, adp.check,
                     partial(_identity, "adp"), "adp", mileage=True),
        ExportFormat("paychex", "Paychex Flex", paychex.file_names, paychex.header, paychex.rows,
                     paychex.check, partial(_identity, "paychex"), "paychex", mileage=True),
        ExportFormat("iif", "QuickBooks Desktop IIF", iif.file_names, iif.header, iif.rows, iif.check,
                     partial(_identity, "iif"), "iif", uses_work_orders=True, uses_jobs=True,
                     encoding=iif.ENCODING),
        ExportFormat("gusto", "Gusto CSV", gusto.file_names, gusto.header, gusto.rows,
                     person_problem=_gusto_person, provider="gusto", dropped=(PayCode.HOLIDAY, PayCode.HOLIDAY_WORKED)),
    )
}


def export_format(name: str) -> ExportFormat:
    if name not in FORMATS:
        raise ExportError(f"no export format {name!r}; choose one of {', '.join(FORMATS)}")
    return FORMATS[name]
