"""What every format's writer is given besides the timesheets, and the rounding they share.

A format writes a header, then rows: a function of an iterable of TechnicianSheet (already
filtered to the approved ones), an ExportContext and the open text files, that writes as
it goes and never holds more than one technician.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from depotclock.errors import DepotClockError
from hub.export.identities import Identity
from hub.export.period_hours import WORKED_CODES, PayCode, PayPeriod, PeriodHours, Piece
from hub.export.rounding import HUNDREDTH_US, apportion
from hub.rules.sheets import Timesheet
from hub.settings import ExportSettings, PayCodes
from hub.store.organisation import Technician

PREVIEW = "PREVIEW"


@dataclass(frozen=True)
class TechnicianSheet:
    """A timesheet and which of its events corrections made (event id -> correction id)."""

    technician: Technician
    timesheet: Timesheet
    marks: dict[str, str]  # of the technician's chunk; look up this timesheet's event ids


class TextFile(Protocol):
    """What a format writes to: an open text file, or the export's archive.KeptFile."""

    def write(self, text: str, /) -> int: ...


Files = Sequence[TextFile]  # a format's files, in the order of its file_names


class ExportError(DepotClockError):
    """An export that cannot be made as asked; the message says what to set or do."""


@dataclass(frozen=True)
class WorkOrderInfo:
    customer: str
    billable: bool
    quickbooks_job: str | None = None  # the job in QuickBooks' Customers & Jobs


NO_WORK_ORDER = WorkOrderInfo(customer="", billable=False)


@dataclass
class ExportContext:
    period: PayPeriod
    settings: ExportSettings
    preview: bool = False
    # the work orders of the technicians being written; the caller refreshes it per chunk
    work_orders: dict[str, WorkOrderInfo] = field(default_factory=dict)
    # technician -> who they are in the format's payroll system; refreshed per chunk too
    identities: dict[str, Identity] = field(default_factory=dict)
    export_id: int = 0  # the export's record (ADP's batch id comes from it)

    def employee_id(self, technician: Technician) -> str | None:
        """DepotClock's own CSV's employee id: the payroll id or the technician id, as set."""
        if self.settings.employee_id == "technician_id":
            return technician.id
        return technician.payroll_id or None

    def identity(self, technician: Technician) -> Identity:
        return self.identities.get(technician.id) or Identity()

    def work_order(self, work_order: str | None) -> WorkOrderInfo:
        if work_order is None:
            return NO_WORK_ORDER
        return self.work_orders.get(work_order, NO_WORK_ORDER)


def code_name(codes: PayCodes, code: PayCode) -> str:
    return getattr(codes, code.value)


def preview_name(name: str, preview: bool) -> str:
    """`name` with -PREVIEW before its extension, for a preview."""
    if not preview:
        return name
    stem, dot, extension = name.rpartition(".")
    return f"{stem}-{PREVIEW}.{extension}" if dot else f"{name}-{PREVIEW}"


def code_units(hours: PeriodHours, unit_us: int = HUNDREDTH_US) -> dict[PayCode, int]:
    """A technician's hours per pay code in whole units: their total rounded once and
    shared out by largest remainder."""
    return dict(zip(PayCode, apportion(list(hours), unit_us)))


def piece_units(pieces: Sequence[Piece], totals: dict[PayCode, int],
                unit_us: int = HUNDREDTH_US) -> list[int]:
    """Each piece in whole units, the pieces of each pay code summing to its row in
    `totals` (as `code_units` gave it)."""
    units = [0] * len(pieces)
    by_code: dict[PayCode, list[int]] = {code: [] for code in WORKED_CODES}
    for index, piece in enumerate(pieces):
        by_code[piece.code].append(index)
    for code, indices in by_code.items():
        lengths = [pieces[i].end - pieces[i].start for i in indices]
        for index, value in zip(indices, apportion(lengths, unit_us, totals[code])):
            units[index] = value
    return units
