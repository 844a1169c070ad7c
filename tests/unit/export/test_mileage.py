"""Mileage reimbursement (issue 17 #9): business legs only (on a work order), in the
period of the day they started, miles or km, at a Decimal rate per unit."""

from __future__ import annotations

from decimal import Decimal

from hub.export.mileage import business_km, mileage
from hub.settings import MileageSettings
from tests.unit.export import scenario


def _sheet(tech: str):
    return scenario.sheets((tech,))[0].timesheet


def test_only_legs_on_a_work_order_count():
    """T-100 drives 14 km to each of two jobs a day on ten days; the drive back to the
    depot is on no work order."""
    assert business_km(_sheet("T-100"), scenario.PERIOD) == Decimal("280.0")


def test_a_leg_belongs_to_the_period_of_the_day_it_started():
    """T-300's last night starts Sunday 15 March: its leg is in this period."""
    assert business_km(_sheet("T-300"), scenario.PERIOD) == Decimal("14.0") * 8


def test_miles_at_a_rate_rounded_to_the_tenth_and_the_cent():
    found = mileage(_sheet("T-100"), scenario.PERIOD, MileageSettings(unit="mile", rate=Decimal("0.70")))
    # 280 km / 1.609344 = 173.98 mi -> 174.0 mi at 0.70 = 121.80
    assert (found.distance, found.unit, found.amount) == (Decimal("174.0"), "mi", Decimal("121.80"))
    km = mileage(_sheet("T-100"), scenario.PERIOD, MileageSettings(unit="km", rate=Decimal("0.4375")))
    assert (km.distance, km.unit, km.amount) == (Decimal("280.0"), "km", Decimal("122.50"))


def test_no_rate_no_mileage():
    assert mileage(_sheet("T-100"), scenario.PERIOD, MileageSettings()) is None
