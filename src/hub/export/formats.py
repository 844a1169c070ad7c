"""The export formats by name: what files each writes and how."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence, TextIO

from hub.export import adp, generic, gusto, iif, paychex
from hub.export.context import ExportContext, ExportError
from hub.export.period_hours import PayPeriod
from hub.records import TechnicianSheet
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
    write: Callable[[Iterable[TechnicianSheet], ExportContext, Sequence[TextIO]], None]
    check: Callable[[ExportSettings], None] = _no_check  # raises ExportError: a missing setting
    employee_problem: Callable[[str], str | None] = _any_id  # why an id cannot go in the file
    needs_employee_id: bool = True
    newline: str = ""  # the csv module writes its own \r\n


FORMATS = {
    f.name: f for f in (
        ExportFormat("generic", "DepotClock CSV (hours and detail)", generic.file_names, generic.write),
        ExportFormat("adp", "ADP Workforce Now paydata", adp.file_names, adp.write, adp.check),
        ExportFormat("paychex", "Paychex Flex", paychex.file_names, paychex.write, paychex.check,
                     paychex.employee_problem),
        # QuickBooks matches time to employees by name
        ExportFormat("iif", "QuickBooks Desktop IIF", iif.file_names, iif.write,
                     needs_employee_id=False),
        ExportFormat("gusto", "Gusto CSV", gusto.file_names, gusto.write),
    )
}


def export_format(name: str) -> ExportFormat:
    if name not in FORMATS:
        raise ExportError(f"no export format {name!r}; choose one of {', '.join(FORMATS)}")
    return FORMATS[name]
