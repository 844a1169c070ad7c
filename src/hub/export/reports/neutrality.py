"""The rounding neutrality report (29 CFR 785.48): whether rounding punches to the
nearest interval evens out, per technician and for the company. A policy that favours
the employer over time is not neutral."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from hub.export.context import TechnicianSheet


@dataclass(frozen=True)
class NeutralityRow:
    technician_id: str  # "" on the company's row
    name: str
    punches: int
    in_employee_favour: int
    in_employer_favour: int
    net_minutes: Decimal  # > 0: rounding paid the technician more
    employee_share: Decimal  # of the punches rounding moved; 0.5 is even


def neutrality_report(sheets: Iterable[TechnicianSheet]) -> Iterator[NeutralityRow]:
    """A row per technician, then the company's."""
    punches = employee = employer = 0
    net = Decimal(0)
    for sheet in sheets:
        report = sheet.timesheet.rounding
        minutes = Decimal(str(report.net_minutes))
        punches += report.punches
        employee += report.in_employee_favour
        employer += report.in_employer_favour
        net += minutes
        yield NeutralityRow(sheet.technician.id, sheet.technician.name, report.punches,
                            report.in_employee_favour, report.in_employer_favour, minutes,
                            _share(report.in_employee_favour, report.in_employer_favour))
    yield NeutralityRow("", "all technicians", punches, employee, employer, net, _share(employee, employer))


def _share(employee: int, employer: int) -> Decimal:
    moved = employee + employer
    return (Decimal(employee) / moved).quantize(Decimal("0.0001"), ROUND_HALF_UP) if moved else Decimal("0.5")
