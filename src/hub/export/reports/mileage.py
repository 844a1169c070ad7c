"""Mileage per technician, van and work order over days: the distance driven on work
orders, other business driving (between depots, to the depot during the workday) and
commuting (home to the first job and back, as the drive rules classify each leg), in miles
or kilometres. A leg counts on the day it started in the technician's payroll zone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hub.export.context import TechnicianSheet
from hub.export.mileage import UNIT_LABELS, distance_in

GROUPS = ("technician", "van", "work order")
UNKNOWN_VAN = "(unknown)"


@dataclass(frozen=True)
class MileageRow:
    group: str  # technician | van | work order
    key: str  # its id
    name: str
    legs: int
    on_work_orders: Decimal
    other_business: Decimal
    commute: Decimal
    total: Decimal
    unit: str  # mi or km


def mileage_rows(sheets: Iterable[TechnicianSheet], first: date, last: date, vans: Mapping[str, str],
                 unit: str) -> list[MileageRow]:
    """Days `first`..`last`, one row per technician, van (`vans`: leg id -> van id) and work
    order, in that order; each sum is of exact kilometres, converted and rounded once."""
    totals: dict[tuple[str, str], list] = defaultdict(lambda: ["", 0, Decimal(0), Decimal(0), Decimal(0)])
    for sheet in sheets:
        zone = sheet.timesheet.timezone
        for classified in sheet.timesheet.legs:
            leg = classified.leg
            if not first <= leg.start.astimezone(zone).date() <= last:
                continue
            km = Decimal(str(leg.km))
            column = 4 if not classified.work else 2 if leg.work_order is not None else 3
            keys = [("technician", sheet.technician.id, sheet.technician.name), ("van", vans.get(leg.id, UNKNOWN_VAN), "")]
            if leg.work_order is not None:
                keys.append(("work order", leg.work_order, ""))
            for group, key, name in keys:
                total = totals[(group, key)]
                total[0] = name or key
                total[1] += 1
                total[column] += km
    label = UNIT_LABELS[unit]
    return [
        MileageRow(group, key, name, legs, distance_in(wo, unit), distance_in(other, unit), distance_in(commute, unit),
                   distance_in(wo + other + commute, unit), label)
        for (group, key), (name, legs, wo, other, commute) in sorted(totals.items(), key=lambda i: (GROUPS.index(i[0][0]), i[0][1]))
    ]
