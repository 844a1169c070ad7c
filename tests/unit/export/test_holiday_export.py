"""Holiday hours in every payroll export, each under its own pay code: the scenario's
fortnight with a company holiday on Tuesday 3 March 2026 (worked by all three) and one on
Saturday 14 March."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

from hub.export.context import TechnicianSheet
from hub.export.formats import FORMATS
from hub.export.period_hours import PayCode, period_hours, worked_pieces
from hub.rules.holidays import Holiday, HolidayPolicy
from hub.rules.sheets import hours
from hub.rules.timesheet import compute_timesheets
from tests.unit.export import scenario
from tests.unit.export.readers import csv_rows, iif_records, minutes
from tests.unit.export.readers import hours as parse_hours
from tests.unit.export.render import render

TUESDAY, SATURDAY = date(2026, 3, 3), date(2026, 3, 14)
HOLIDAYS = HolidayPolicy((Holiday(TUESDAY, "Founders' Day"), Holiday(SATURDAY, "Company day")))
TECHS = ("T-100", "T-200", "T-300")


def _sheets() -> list[TechnicianSheet]:
    rows = {t.id: t.row() for t in scenario.TECHNICIANS}
    profiles = {tech: replace(p, policy=replace(p.policy, holidays=HOLIDAYS))
                for tech, p in scenario.profiles().items()}
    return [TechnicianSheet(rows[s.tech], s, {})
            for s in compute_timesheets(scenario.events(), profiles) if s.tech in TECHS]


def _exact() -> dict[str, dict[PayCode, Decimal]]:
    return {s.technician.id: {c: hours(period_hours(s.timesheet, scenario.PERIOD).of(c)) for c in PayCode}
            for s in _sheets()}


def test_the_engine_pays_16_holiday_hours_and_the_worked_tuesday_at_the_holiday_rate():
    for tech, exact in _exact().items():
        assert exact[PayCode.HOLIDAY] == 16, tech
        assert exact[PayCode.HOLIDAY_WORKED] > 0, tech


def test_generic_has_a_row_per_holiday_code_and_detail_rows_of_the_hours_worked_on_the_holiday():
    summary_data, detail_data = render("generic", sheets=_sheets()).values()
    codes = scenario.SETTINGS.pay_codes
    summary = {(r["technician_id"], r["pay_code"]): parse_hours(r["hours"]) for r in csv_rows(summary_data, "utf-8-sig")}
    detail: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in csv_rows(detail_data, "utf-8-sig"):
        detail[(row["technician_id"], row["pay_code"])] += parse_hours(row["hours"])
        if row["pay_code"] == codes.holiday_worked:
            assert row["workday"] in (TUESDAY.isoformat(), SATURDAY.isoformat())
    for tech, exact in _exact().items():
        assert summary[(tech, "HOL")] == Decimal("16.00")
        assert abs(summary[(tech, "HOLW")] - exact[PayCode.HOLIDAY_WORKED]) < Decimal("0.01")
        assert detail[(tech, "HOLW")] == summary[(tech, "HOLW")]
        assert (tech, "HOL") not in detail  # paid, not worked: no pieces of time


def test_adp_puts_holiday_hours_on_a_second_row_in_hours_3_and_hours_4():
    (data,) = render("adp", sheets=_sheets()).values()
    rows = [r for r in csv_rows(data) if r["File #"] == "000200"]
    first, second = rows
    assert first["Reg Hours"] and first["Hours 3 Code"] == "D"
    assert (second["Reg Hours"], second["O/T Hours"]) == ("", "")
    assert (second["Hours 3 Code"], second["Hours 3 Amount"]) == ("H", "16.00")
    assert second["Hours 4 Code"] == "HW" and parse_hours(second["Hours 4 Amount"]) > 0


def test_paychex_has_a_holiday_pay_component_row():
    (data,) = render("paychex", sheets=_sheets()).values()
    found = {(r["WORKER ID"], r["PAY COMPONENT"]): r["HOURS"] for r in csv_rows(data)}
    assert found[("T100", "Holiday")] == "16.00"
    assert ("T100", "Holiday Worked") in found


def test_iif_has_a_holiday_line_on_each_holiday_and_the_worked_tuesday_under_its_own_item():
    (data,) = render("iif", sheets=_sheets()).values()
    acts = iif_records(data)["TIMEACT"]
    maria = [a for a in acts if a["EMP"] == "Núñez Ruiz, José"]
    holiday = [(a["DATE"], minutes(a["DURATION"])) for a in maria if a["PITEM"] == "Holiday Hourly"]
    assert holiday == [("03/03/26", 480), ("03/14/26", 480)]
    worked = {a["DATE"] for a in maria if a["PITEM"] == "Hourly Holiday Worked"}
    assert "03/03/26" in worked and worked <= {"03/03/26", "03/14/26"}
    exact = _exact()["T-100"]
    total = sum(minutes(a["DURATION"]) for a in maria)
    assert abs(Decimal(total) / 60 - sum(exact.values())) <= Decimal(1) / 120


def test_gusto_leaves_holiday_hours_to_be_entered_by_hand_and_keeps_them_out_of_regular():
    assert {PayCode.HOLIDAY, PayCode.HOLIDAY_WORKED} <= set(FORMATS["gusto"].dropped)
    (data,) = render("gusto", sheets=_sheets()).values()
    maria = next(r for r in csv_rows(data) if r["first_name"] == "José")
    assert abs(parse_hours(maria["regular_hours"]) - _exact()["T-100"][PayCode.REGULAR]) < Decimal("0.01")


def test_the_pieces_still_add_up_to_the_period_hours_per_worked_code():
    for sheet in _sheets():
        found: dict[PayCode, int] = defaultdict(int)
        for piece in worked_pieces(sheet.timesheet, scenario.PERIOD):
            found[piece.code] += piece.length
        hours_of = period_hours(sheet.timesheet, scenario.PERIOD)
        for code in (PayCode.REGULAR, PayCode.HOLIDAY_WORKED, PayCode.OVERTIME, PayCode.DOUBLE_TIME):
            assert found[code] == hours_of.of(code), (sheet.technician.id, code)
