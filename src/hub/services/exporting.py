"""The payroll page's exports, as service functions: run `export_period` for the
technicians of the user's depots, list the period's earlier exports the user may see, and
read back an export's file byte for byte from the record.

An export is in a user's scope when every technician it went through is in their depots
(an admin's whole-company export is not shown to a one-depot payroll clerk).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from hub.export.archive import ChangeReport, export_files, file_bytes
from hub.export.context import ExportError
from hub.export.formats import FORMATS
from hub.export.period_hours import PayPeriod
from hub.services.period_export import EmptyExport, ExportResult, LeftOut, export_period, period_of
from hub.services.problems import Invalid
from hub.services.scope import OutOfScope, Viewer
from hub.settings import HubSettings
from hub.store.models import PayrollExport, PayrollExportFile, PayrollExportTechnician, Technician

FORMAT_NAMES = tuple(FORMATS)


@dataclass(frozen=True)
class PastExport:
    record: PayrollExport
    files: list[PayrollExportFile]


class Unconfirmed(Invalid):
    """No technician would go in the file: the export is recorded only once the user says
    so (`confirmed_empty`); who would be left out, and why, is in `left_out`."""

    def __init__(self, empty: EmptyExport):
        super().__init__("confirm_empty", str(empty))
        self.left_out: list[LeftOut] = empty.left_out


def period(settings: HubSettings, day: date) -> PayPeriod:
    return period_of(day, settings)


def run_export(session: Session, settings: HubSettings, viewer: Viewer, day: date, format_name: str,
               preview: bool, now: datetime, confirmed_empty: bool = False) -> ExportResult:
    """Export the pay period holding `day` for the viewer's depots and record it. The file
    is written to a scratch folder and kept in the database, where downloads come from.
    An export with no technician in it is refused (Unconfirmed) unless `confirmed_empty`."""
    if format_name not in FORMAT_NAMES:
        raise Invalid("format", f"choose one of {', '.join(FORMAT_NAMES)}")
    with tempfile.TemporaryDirectory(prefix="depotclock-export-") as scratch:
        try:
            result = export_period(session, settings, day, format_name, preview=preview, out_dir=Path(scratch),
                                   by=viewer.username, now=now, depots=viewer.depots, empty_ok=confirmed_empty)
        except EmptyExport as empty:
            raise Unconfirmed(empty) from None
        except ExportError as error:
            raise Invalid("format", str(error)) from None
    if result.changes is not None:
        result.changes = _in_scope(session, viewer, result.changes)
    return result


def _in_scope(session: Session, viewer: Viewer, report: ChangeReport) -> ChangeReport:
    """The changes of the viewer's technicians only (an earlier export may have had others)."""
    if viewer.depots is None:
        return report
    mine = set(viewer.technician_ids(session))
    return replace(report, changes=tuple(c for c in report.changes if c.technician_id in mine))


def _visible(viewer: Viewer):
    """Exports with no technician outside the viewer's depots."""
    if viewer.depots is None:
        return True
    T = PayrollExportTechnician
    outside = (select(T.technician_id).join(Technician, Technician.id == T.technician_id)
               .where(T.export_id == PayrollExport.id, Technician.home_depot_id.not_in(viewer.depots)))
    return ~exists(outside)


def past_exports(session: Session, viewer: Viewer, pay_period: PayPeriod) -> list[PastExport]:
    """The period's exports the viewer may see, newest first, with their files."""
    records = list(session.scalars(
        select(PayrollExport).where(PayrollExport.period_start == pay_period.start, _visible(viewer))
        .order_by(PayrollExport.exported_at.desc(), PayrollExport.id.desc())))
    files: dict[int, list[PayrollExportFile]] = {r.id: [] for r in records}
    if records:
        for file in session.scalars(select(PayrollExportFile).where(PayrollExportFile.export_id.in_(list(files)))
                                    .order_by(PayrollExportFile.id)):
            files[file.export_id].append(file)
    return [PastExport(r, files[r.id]) for r in records]


def export_file(session: Session, viewer: Viewer, export_id: int, file_id: int) -> PayrollExportFile:
    """A file of an export in the viewer's scope (OutOfScope otherwise, as if not there)."""
    visible = session.scalar(select(PayrollExport.id).where(PayrollExport.id == export_id, _visible(viewer)))
    try:
        files = export_files(session, export_id) if visible is not None else []
    except ExportError:
        files = []
    found = next((f for f in files if f.id == file_id), None)
    if found is None:
        raise OutOfScope(f"no file {file_id} of export {export_id}")
    return found


def content(session: Session, file: PayrollExportFile) -> Iterator[bytes]:
    """The file's bytes as exported, checked against its SHA-256 as they are read."""
    return file_bytes(session, file)
