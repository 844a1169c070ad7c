"""The record of each export: its files kept byte for byte in the database, and what
changed for each technician since the previous export of the same period."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from hub.export.context import ExportError, code_units
from hub.export.period_hours import PayCode, PeriodHours
from hub.export.rounding import hundredths
from hub.store.models import (
    PayrollExport,
    PayrollExportChunk,
    PayrollExportFile,
    PayrollExportTechnician,
    Technician,
)

CHUNK_BYTES = 1 << 20


class KeptFile:
    """A text file written to disk and into the database as it goes (a megabyte a row),
    in the format's encoding, with its SHA-256: a file-like object a format's writer can
    write to."""

    def __init__(self, session: Session, export_id: int, path: Path, name: str, encoding: str = "utf-8"):
        self.session, self.path, self.encoding = session, path, encoding
        self.row = PayrollExportFile(export_id=export_id, name=name, sha256="", size=0)
        session.add(self.row)
        session.flush()
        self.digest, self.buffer, self.seq = hashlib.sha256(), bytearray(), 0
        self.file = path.open("wb")

    def write(self, text: str) -> int:
        try:
            data = text.encode(self.encoding)
        except UnicodeEncodeError as error:
            raise ExportError(f"{self.row.name}: {text[error.start:error.end]!r} cannot be written in "
                              f"{self.encoding}") from None
        self.file.write(data)
        self.digest.update(data)
        self.row.size += len(data)
        self.buffer += data
        while len(self.buffer) >= CHUNK_BYTES:
            self._keep(bytes(self.buffer[:CHUNK_BYTES]))
            del self.buffer[:CHUNK_BYTES]
        return len(text)

    def _keep(self, block: bytes) -> None:
        self.session.execute(insert(PayrollExportChunk), [{"file_id": self.row.id, "seq": self.seq, "data": block}])
        self.seq += 1

    def close(self) -> PayrollExportFile:
        """Finish the file; its row has the checksum and size."""
        if not self.file.closed:
            self.file.close()
            if self.buffer:
                self._keep(bytes(self.buffer))
                self.buffer.clear()
            self.row.sha256 = self.digest.hexdigest()
        return self.row


def export_files(session: Session, export_id: int) -> list[PayrollExportFile]:
    files = list(session.scalars(
        select(PayrollExportFile).where(PayrollExportFile.export_id == export_id).order_by(PayrollExportFile.id)))
    if not files:
        raise ExportError(f"no export {export_id} (or it has no files)")
    return files


def file_bytes(session: Session, file: PayrollExportFile) -> Iterator[bytes]:
    """The file as it was exported, a chunk at a time; checked against its SHA-256 at
    the end (ExportError when the stored bytes no longer match)."""
    digest = hashlib.sha256()
    seq = 0
    while True:
        block = session.scalar(select(PayrollExportChunk.data).where(
            PayrollExportChunk.file_id == file.id, PayrollExportChunk.seq == seq))
        if block is None:
            break
        digest.update(block)
        yield bytes(block)
        seq += 1
    if digest.hexdigest() != file.sha256:
        raise ExportError(f"the stored copy of {file.name} does not match its checksum {file.sha256}")


def download(session: Session, export_id: int, directory: Path) -> list[Path]:
    """Write an earlier export's files into `directory` again, byte for byte."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for file in export_files(session, export_id):
        path = directory / file.name
        partial = path.with_name(f".{path.name}.partial")
        with partial.open("wb") as out:
            for block in file_bytes(session, file):
                out.write(block)
        partial.replace(path)
        written.append(path)
    return written


@dataclass(frozen=True)
class CodeChange:
    code: PayCode
    before: Decimal  # hours in the previous file (0 when the technician was not in it)
    after: Decimal


@dataclass(frozen=True)
class TechnicianChange:
    technician_id: str
    name: str
    before_status: str | None  # None: not in the previous export at all
    after_status: str | None
    codes: tuple[CodeChange, ...]


@dataclass(frozen=True)
class ChangeReport:
    """What changed since the previous export of the same period: per technician, the
    hours per pay code (to the hundredth, as the generic file writes them) before and after."""

    previous_id: int
    previous_format: str
    previous_at: str
    previous_preview: bool
    changes: tuple[TechnicianChange, ...]


class _Row(NamedTuple):
    technician_id: str
    name: str
    status: str
    hours: PeriodHours  # as in the file: zero when left out


def _rows(session: Session, export_id: int) -> Iterator[_Row]:
    T = PayrollExportTechnician
    query = (
        select(T.technician_id, Technician.name, T.status, T.regular_us, T.overtime_us,
               T.double_time_us, T.premium_us, T.holiday_us, T.holiday_worked_us)
        .join(Technician, Technician.id == T.technician_id)
        .where(T.export_id == export_id)
        .order_by(T.technician_id)
        .execution_options(yield_per=1000)
    )
    for tech, name, status, *hours in session.execute(query):
        yield _Row(tech, name, status, PeriodHours(*hours) if status == "exported" else PeriodHours())


def previous_export(session: Session, export: PayrollExport) -> PayrollExport | None:
    """The last earlier export of the same period: the last final one when there is one,
    else the last preview."""
    return session.scalar(
        select(PayrollExport)
        .where(PayrollExport.period_start == export.period_start, PayrollExport.id < export.id)
        .order_by(PayrollExport.preview, PayrollExport.exported_at.desc(), PayrollExport.id.desc())
        .limit(1)
    )


def changes_since(session: Session, export: PayrollExport) -> ChangeReport | None:
    """None when this is the period's first export. Both exports' rows are merged in
    technician order, a thousand at a time."""
    previous = previous_export(session, export)
    if previous is None:
        return None
    old_rows, new_rows = _rows(session, previous.id), _rows(session, export.id)
    old, new = next(old_rows, None), next(new_rows, None)
    changes = []
    while old is not None or new is not None:
        if new is None or (old is not None and old.technician_id < new.technician_id):
            before, after = old, None
            old = next(old_rows, None)
        elif old is None or new.technician_id < old.technician_id:
            before, after = None, new
            new = next(new_rows, None)
        else:
            before, after = old, new
            old, new = next(old_rows, None), next(new_rows, None)
        was = code_units(before.hours if before else PeriodHours())
        now = code_units(after.hours if after else PeriodHours())
        codes = tuple(CodeChange(c, hundredths(was[c]), hundredths(now[c]))
                      for c in PayCode if was[c] != now[c])
        before_status = before.status if before else None
        after_status = after.status if after else None
        if codes or before_status != after_status:
            either = after or before
            assert either is not None  # the loop runs while old or new is left, and gave one of them
            changes.append(TechnicianChange(either.technician_id, either.name, before_status,
                                            after_status, codes))
    return ChangeReport(previous.id, previous.format, previous.exported_at.isoformat(),
                        previous.preview, tuple(changes))
