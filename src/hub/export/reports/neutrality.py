"""The rounding neutrality report (29 CFR 785.48): what rounding punches to the nearest
interval changed in paid time, per technician over the chosen days and for the company.
A policy that pays less than the time worked, over time, is not neutral.

Paid time, not punch minutes: a rest rounded shorter is paid either way and changes
nothing; a paid 23-minute break rounded into an unpaid 30-minute meal costs 23 minutes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hub.export.context import TechnicianSheet
from hub.rules.instants import MINUTE_US

_HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class NeutralityRow:
    technician_id: str  # "" on the company's row
    name: str
    punches_moved: int  # punches rounding moved
    days_in_employee_favour: int  # workdays rounding paid more
    days_in_employer_favour: int  # workdays rounding paid less
    net_minutes: Decimal  # paid with rounding minus paid without; > 0: the technician gained
    employee_share: Decimal  # of the workdays rounding changed; 0.5 is even


def neutrality_report(sheets: Iterable[TechnicianSheet], first: date, last: date) -> Iterator[NeutralityRow]:
    """A row per technician over workdays `first`..`last`, then the company's."""
    moved = employee = employer = change = 0
    for sheet in sheets:
        summary = sheet.timesheet.rounding.summary(first, last)
        moved += summary.punches_moved
        employee += summary.days_in_employee_favour
        employer += summary.days_in_employer_favour
        change += summary.paid_change_us
        yield NeutralityRow(sheet.technician.id, sheet.technician.name, summary.punches_moved,
                            summary.days_in_employee_favour, summary.days_in_employer_favour,
                            _minutes(summary.paid_change_us),
                            _share(summary.days_in_employee_favour, summary.days_in_employer_favour))
    yield NeutralityRow("", "all technicians", moved, employee, employer, _minutes(change), _share(employee, employer))


def _minutes(us: int) -> Decimal:
    return (Decimal(us) / MINUTE_US).quantize(_HUNDREDTH, ROUND_HALF_UP)


def _share(employee: int, employer: int) -> Decimal:
    moved = employee + employer
    return (Decimal(employee) / moved).quantize(Decimal("0.0001"), ROUND_HALF_UP) if moved else Decimal("0.5")
