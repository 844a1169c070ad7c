"""Reading export files back as each payroll system documents it (docs/export.md, import
contracts): CSV per RFC 4180 in UTF-8 (DepotClock's own with its byte-order mark, as
Excel reads it), and IIF as QuickBooks Desktop does: Windows-1252, tab-separated fields,
CRLF lines, a !HEADER line naming the fields of the records that follow."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal


def csv_rows(data: bytes, encoding: str = "utf-8") -> list[dict[str, str]]:
    """Rows of a CSV with a header; "utf-8-sig" reads (and requires) Excel's byte-order mark."""
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(data.decode(encoding), newline="")))


def iif_records(data: bytes) -> dict[str, list[dict[str, str]]]:
    """Records by type, each a dict keyed by its !HEADER line's field names. IIF lines are
    tab-separated; a line starting with ! names the fields of the records that follow."""
    headers: dict[str, list[str]] = {}
    records: dict[str, list[dict[str, str]]] = defaultdict(list)
    text = data.decode("cp1252")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        if not line:
            continue
        fields = line.split("\t")
        if fields[0].startswith("!"):
            headers[fields[0][1:]] = fields[1:]
            continue
        names = headers[fields[0]]
        assert len(fields) - 1 == len(names), line
        records[fields[0]].append(dict(zip(names, fields[1:])))
    return records


def minutes(duration: str) -> int:
    hours, mins = duration.split(":")
    assert len(mins) == 2 and 0 <= int(mins) < 60
    return int(hours) * 60 + int(mins)


def hours(text: str) -> Decimal:
    return Decimal(text) if text else Decimal(0)
