"""Report rows as CSV: one column per field of the row dataclass, in order; text that a
spreadsheet would run as a formula is neutralised (hub.export.cells), numbers are not."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TextIO

from hub.export.cells import neutral
from hub.rules.sheets import hours

HUNDREDTH, CENT, TEN_THOUSANDTH = Decimal("0.01"), Decimal("0.01"), Decimal("0.0001")


def report_hours(us: int) -> Decimal:
    """Hours to the hundredth, for reading (payroll files round differently: hub.export)."""
    return hours(us).quantize(HUNDREDTH, ROUND_HALF_UP)


def money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_UP)


def ratio(part: int, whole: int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(TEN_THOUSANDTH, ROUND_HALF_UP) if whole else Decimal(0)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutral(value)
    return str(value)


def write_csv(rows: Iterable, out: TextIO, row_type: type) -> int:
    """Write `rows` (instances of the dataclass `row_type`) with a header; returns the count."""
    names = [f.name for f in fields(row_type)]
    writer = csv.writer(out)
    writer.writerow(names)
    count = 0
    for row in rows:
        writer.writerow([_cell(getattr(row, name)) for name in names])
        count += 1
    return count
