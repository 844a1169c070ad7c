"""Work-order time and cost: drive, on-site and hours-only hours per work order (and
customer), the cost at each technician's cost rate, and the billable value at their
billing rate."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hub.export.context import NO_WORK_ORDER, TechnicianSheet, WorkOrderInfo
from hub.export.reports.table import money, report_hours
from hub.rules.instants import HOUR_US


@dataclass(frozen=True)
class WorkOrderRow:
    work_order: str
    customer: str
    billable: bool
    technicians: int
    drive_hours: Decimal
    on_site_hours: Decimal
    hours_only_hours: Decimal  # hours-only entries on the work order
    cost: Decimal
    billable_value: Decimal


@dataclass(frozen=True)
class CustomerRow:
    customer: str
    work_orders: int
    drive_hours: Decimal
    on_site_hours: Decimal
    hours_only_hours: Decimal
    cost: Decimal
    billable_value: Decimal


def work_order_costs(sheets: Iterable[TechnicianSheet], first: date, last: date,
                     work_orders: Mapping[str, WorkOrderInfo]) -> list[WorkOrderRow]:
    """Days `first`..`last`; one row per work order, by id. Holds a total per work order,
    not the timesheets."""
    totals: dict[str, list] = defaultdict(lambda: [set(), 0, 0, 0, Decimal(0), Decimal(0)])
    for sheet in sheets:
        technician = sheet.technician
        for day in sheet.timesheet.days:
            if not first <= day.date <= last:
                continue
            entered: dict[str, int] = defaultdict(int)
            for entry in day.entries:
                entered[entry.work_order] += entry.length
            for index, per_order in ((1, day.drive), (2, day.on_site), (3, entered)):
                for wo, us in per_order.items():
                    if wo is None:
                        continue
                    total = totals[wo]
                    total[0].add(technician.id)
                    total[index] += us
                    hours = Decimal(us) / HOUR_US
                    total[4] += hours * technician.cost_rate
                    if work_orders.get(wo, NO_WORK_ORDER).billable:
                        total[5] += hours * technician.billing_rate
    rows = []
    for wo, (techs, drive, on_site, hours_only, cost, value) in sorted(totals.items()):
        info = work_orders.get(wo, NO_WORK_ORDER)
        rows.append(WorkOrderRow(wo, info.customer, info.billable, len(techs), report_hours(drive),
                                 report_hours(on_site), report_hours(hours_only), money(cost), money(value)))
    return rows


def customer_totals(rows: Iterable[WorkOrderRow]) -> list[CustomerRow]:
    by_customer: dict[str, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0), Decimal(0), Decimal(0), Decimal(0)])
    for row in rows:
        total = by_customer[row.customer]
        total[0] += 1
        total[1] += row.drive_hours
        total[2] += row.on_site_hours
        total[3] += row.hours_only_hours
        total[4] += row.cost
        total[5] += row.billable_value
    return [CustomerRow(customer, *values) for customer, values in sorted(by_customer.items())]
