"""Reading export files back as payroll would: the csv module, and a small IIF reader."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def iif_records(data: bytes) -> dict[str, list[dict[str, str]]]:
    """Records by type, each a dict keyed by its !HEADER line's field names. IIF lines are
    tab-separated; a line starting with ! names the fields of the records that follow."""
    headers: dict[str, list[str]] = {}
    records: dict[str, list[dict[str, str]]] = defaultdict(list)
    for line in data.decode("utf-8").split("\r\n"):
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
