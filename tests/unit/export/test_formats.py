"""Each format against its golden file (tests/data/export/), read back as payroll would
read it: totals agree with the timesheets to the hundredth (QuickBooks: to the minute)."""

from __future__ import annotations

import csv
import io
import os
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.export.context import PREVIEW
from hub.export.formats import FORMATS
from hub.export.generic import CsvField
from hub.export.period_hours import PayCode, period_hours
from hub.rules.sheets import hours
from tests.unit.export import scenario
from tests.unit.export.readers import csv_rows, iif_records, minutes
from tests.unit.export.readers import hours as parse_hours
from tests.unit.export.render import render

GOLDEN = Path(__file__).parents[2] / "data" / "export"
UPDATE = os.environ.get("DEPOTCLOCK_UPDATE_GOLDEN") == "1"  # rewrite the golden files
HUNDREDTH, HALF_HUNDREDTH = Decimal("0.01"), Decimal("0.005")


def _exact() -> dict[str, dict[PayCode, Decimal]]:
    """Each approved technician's exact hours per pay code, from the engine."""
    return {
        s.technician.id: {code: hours(value) for code, value in
                          zip(PayCode, period_hours(s.timesheet, scenario.PERIOD))}
        for s in scenario.sheets()
    }


def _golden(format_name: str, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = GOLDEN / format_name / name
        if UPDATE:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        assert data == path.read_bytes(), f"{path} differs (DEPOTCLOCK_UPDATE_GOLDEN=1 rewrites it)"


@pytest.mark.parametrize("format_name", sorted(FORMATS))
@pytest.mark.parametrize("preview", [False, True], ids=["final", "preview"])
def test_each_format_writes_its_golden_file(format_name, preview):
    _golden(format_name, render(format_name, preview))


def _assert_agrees(found: dict[str, dict[PayCode, Decimal]], codes=tuple(PayCode)) -> None:
    for tech, exact in _exact().items():
        for code in codes:
            assert abs(found[tech].get(code, 0) - exact[code]) < HUNDREDTH, (tech, code)
        total = sum(found[tech].get(c, 0) for c in codes)
        assert abs(total - sum(exact[c] for c in codes)) <= HALF_HUNDREDTH, tech


def test_generic_rows_read_back_agree_with_the_timesheets_and_the_detail_adds_up_to_them():
    summary_data, detail_data = render("generic").values()
    codes = scenario.SETTINGS.pay_codes
    by_name = {getattr(codes, c.value): c for c in PayCode}
    summary: dict[str, dict[PayCode, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in csv_rows(summary_data):
        summary[row["technician_id"]][by_name[row["pay_code"]]] += parse_hours(row["hours"])
    _assert_agrees(summary)
    detail: dict[str, dict[PayCode, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in csv_rows(detail_data):
        detail[row["technician_id"]][by_name[row["pay_code"]]] += parse_hours(row["hours"])
    for tech, rows in summary.items():
        for code in (PayCode.REGULAR, PayCode.OVERTIME, PayCode.DOUBLE_TIME):
            assert detail[tech][code] == rows[code], (tech, code)


def test_generic_detail_names_the_work_order_category_and_billable_status():
    rows = csv_rows(render("generic")["depotclock-detail-2026-03-02_2026-03-15.csv"])
    warranty = [r for r in rows if r["work_order"] == "WO-9"]
    assert warranty and {r["billable"] for r in warranty} == {"no"}
    assert {r["customer"] for r in warranty} == {"Northside Clinic"}
    assert {r["category"] for r in rows} >= {"drive", "on_site"}
    night = [r for r in rows if r["technician_id"] == "T-300" and r["workday"] == "2026-03-03"]
    assert night[0]["start"] == "2026-03-03T00:00:00-06:00"  # cut at midnight


def test_generic_leaves_out_the_part_of_a_night_shift_that_falls_in_the_next_period():
    rows = csv_rows(render("generic")["depotclock-detail-2026-03-02_2026-03-15.csv"])
    assert max(r["workday"] for r in rows if r["technician_id"] == "T-300") == "2026-03-15"


def test_adp_one_row_per_employee_double_time_in_hours_3_premium_in_hours_4():
    (name, data), = render("adp").items()
    assert name == "PRDC1EPI.csv"
    rows = csv_rows(data)
    assert list(rows[0])[:3] == ["Co Code", "Batch ID", "File #"]
    ana = next(r for r in rows if r["File #"] == "000200")
    assert (ana["Reg Hours"], ana["O/T Hours"]) == ("77.00", "5.00")
    assert (ana["Hours 3 Code"], ana["Hours 3 Amount"]) == ("D", "0.50")
    assert (ana["Hours 4 Code"], ana["Hours 4 Amount"]) == ("P", "1.00")
    found = {
        {"000100": "T-100", "000200": "T-200", "000300": "T-300"}[r["File #"]]: {
            PayCode.REGULAR: parse_hours(r["Reg Hours"]), PayCode.OVERTIME: parse_hours(r["O/T Hours"]),
            PayCode.DOUBLE_TIME: parse_hours(r["Hours 3 Amount"]), PayCode.PREMIUM: parse_hours(r["Hours 4 Amount"]),
        }
        for r in rows
    }
    _assert_agrees(found)
    assert {r["Co Code"] for r in rows} == {"DC1"} and {r["Batch ID"] for r in rows} == {"MAR02"}


def test_paychex_rows_per_pay_component_read_back():
    (data,) = render("paychex").values()
    rows = csv_rows(data)
    components = {getattr(scenario.SETTINGS.paychex.pay_codes, c.value): c for c in PayCode}
    found: dict[str, dict[PayCode, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    workers = {"000100": "T-100", "000200": "T-200", "000300": "T-300"}
    for row in rows:
        assert row["CLIENT ID"] == "70012345"
        found[workers[row["WORKER ID"]]][components[row["PAY COMPONENT"]]] += parse_hours(row["HOURS"])
    _assert_agrees(found)


def test_gusto_rows_read_back_without_premium_hours():
    (data,) = render("gusto").values()
    rows = csv_rows(data)
    assert (rows[1]["first_name"], rows[1]["last_name"]) == ("Ana", "Ruiz")
    found = {
        {"000100": "T-100", "000200": "T-200", "000300": "T-300"}[r["gusto_employee_id"]]: {
            PayCode.REGULAR: parse_hours(r["regular_hours"]), PayCode.OVERTIME: parse_hours(r["overtime_hours"]),
            PayCode.DOUBLE_TIME: parse_hours(r["double_overtime_hours"]),
        }
        for r in rows
    }
    _assert_agrees(found, (PayCode.REGULAR, PayCode.OVERTIME, PayCode.DOUBLE_TIME))


def test_iif_time_activities_read_back_to_the_minute_none_over_23_59():
    (name, data), = render("iif").items()
    assert name.endswith(".iif")
    records = iif_records(data)
    (header,) = records["TIMERHDR"]
    assert header["COMPANYNAME"] == "Depot Services LLC"
    items = {getattr(scenario.SETTINGS.iif.pay_codes, c.value): c for c in PayCode}
    names = {t.name: t.id for t in scenario.TECHNICIANS}
    found: dict[str, dict[PayCode, int]] = defaultdict(lambda: defaultdict(int))
    for act in records["TIMEACT"]:
        assert minutes(act["DURATION"]) <= 23 * 60 + 59
        found[names[act["EMP"]]][items[act["PITEM"]]] += minutes(act["DURATION"])
    for tech, exact in _exact().items():
        for code in PayCode:
            assert abs(Decimal(found[tech][code]) / 60 - exact[code]) < Decimal(1) / 60, (tech, code)
        total = Decimal(sum(found[tech].values())) / 60
        assert abs(total - sum(exact.values())) <= Decimal(1) / 120, tech


def test_iif_billing_status_comes_from_the_work_order():
    records = iif_records(render("iif")["quickbooks-time-2026-03-02_2026-03-15.iif"])
    status = {act["JOB"]: act["BILLINGSTATUS"] for act in records["TIMEACT"]}
    assert status["Lakeview Dental:WO-7"] == "1"
    assert status["Northside Clinic:WO-9"] == "0"
    assert status[""] == "0"  # premium, gaps and breaks belong to no work order


def test_iif_an_activity_over_23_59_is_split():
    from hub.export.iif import duration, split_minutes

    assert [duration(m) for m in split_minutes(25 * 60)] == ["23:59", "1:01"]
    assert split_minutes(23 * 60 + 59) == [1439] and split_minutes(0) == []


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_a_preview_says_so_in_the_file_and_its_name(format_name):
    files = render(format_name, preview=True)
    for name, data in files.items():
        assert PREVIEW in name
        assert PREVIEW.encode() in data
    assert not any(PREVIEW.encode() in data for data in render(format_name).values())


def test_the_cli_offers_every_format():
    from hub.cli.hub import export

    (option,) = [p for p in export.params if p.name == "format_name"]
    assert list(option.type.choices) == list(FORMATS)


@given(st.lists(st.one_of(st.none(), st.text(), st.sampled_from(["", " ", ",", '"', "a,b", 'say "hi"', "x\r\ny", "\n"])),
                min_size=1, max_size=6))
def test_csv_field_writes_what_csv_writer_writes(values):
    """The generic detail file assembles rows from fields the csv module rendered once."""
    field = CsvField()
    expected = io.StringIO(newline="")
    csv.writer(expected).writerow([*values, "end"])
    assert ",".join([*(field(v) for v in values), "end"]) + "\r\n" == expected.getvalue()
