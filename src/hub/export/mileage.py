"""Mileage reimbursement: a technician's business distance in a pay period at the
company's rate per mile or kilometre. Pure.

Business legs are drive legs attributed to a work order (to a site, between sites, or
back from one to the depot when the leg was placed on the job); a leg belongs to the
period holding the day it started, in the technician's payroll zone. The distance is
summed exactly from the legs' kilometres, converted (1 mile = 1.609344 km, by
definition), rounded once to the tenth, and the amount is that distance times the rate,
rounded to the cent (half up).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from hub.export.period_hours import PayPeriod
from hub.rules.sheets import Timesheet
from hub.settings import MileageSettings

KM_PER_MILE = Decimal("1.609344")
TENTH, CENT = Decimal("0.1"), Decimal("0.01")
UNIT_LABELS = {"mile": "mi", "km": "km"}


@dataclass(frozen=True)
class Mileage:
    distance: Decimal  # in `unit`, to the tenth
    unit: str  # "mi" or "km"
    rate: Decimal  # per unit
    amount: Decimal  # to the cent


def business_km(timesheet: Timesheet, period: PayPeriod) -> Decimal:
    """The kilometres of the timesheet's legs on a work order that started in `period`."""
    zone = timesheet.timezone
    return sum((Decimal(str(c.leg.km)) for c in timesheet.legs
                if c.leg.work_order is not None and c.leg.start.astimezone(zone).date() in period), Decimal(0))


def distance_in(km: Decimal, unit: str) -> Decimal:
    """`km` in the unit ("mile" or "km"), rounded once to the tenth."""
    return (km if unit == "km" else km / KM_PER_MILE).quantize(TENTH, ROUND_HALF_UP)


def mileage(timesheet: Timesheet, period: PayPeriod, settings: MileageSettings) -> Mileage | None:
    """The period's reimbursement, or None (no rate set, or no business distance)."""
    if settings.rate is None:
        return None
    km = business_km(timesheet, period)
    if not km:
        return None
    distance = distance_in(km, settings.unit)
    amount = (distance * settings.rate).quantize(CENT, ROUND_HALF_UP)
    return Mileage(distance, UNIT_LABELS[settings.unit], settings.rate, amount)
