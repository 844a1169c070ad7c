"""Exports from the store, end to end, on SQLite and PostgreSQL: the same bytes as the
golden files, only approved technicians, the record, a byte-for-byte re-download, and
what changed after a correction."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from hub.export.archive import download, export_files, file_bytes
from hub.export.context import ExportError
from hub.export.formats import FORMATS
from hub.export.period_hours import PayCode
from hub.services.period_export import export_period
from hub.settings import IifExport
from hub.store.models import PayrollExport, PayrollExportTechnician, PayrollIdentity, Technician, WorkOrder
from tests.integration.export.company import (
    WEEKS,
    approve_all_but_chen,
    decide,
    move_punch,
    seed,
    settings,
)
from tests.unit.export import scenario
from tests.unit.export.readers import csv_rows

GOLDEN = Path(__file__).parents[2] / "data" / "export"
EXPORTED_AT = datetime(2026, 3, 16, 18, tzinfo=scenario.CHICAGO)
WEDNESDAY = date(2026, 3, 4)  # any day of the period


@pytest.fixture
def company(session):
    punches = seed(session)
    approve_all_but_chen(session)
    return punches


def _export(session, migrated_url, tmp_path, format_name="generic", **options):
    options.setdefault("now", EXPORTED_AT)
    return export_period(session, settings(migrated_url), WEDNESDAY, format_name,
                         out_dir=tmp_path / "out", **options)


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_each_format_from_the_store_is_the_golden_file_and_leaves_out_the_unapproved(
        session, migrated_url, tmp_path, company, format_name):
    result = _export(session, migrated_url, tmp_path, format_name, chunk=2)
    assert result.period == scenario.PERIOD
    assert result.exported == 3
    assert [(left.technician_id, left.reason) for left in result.left_out] == [
        ("T-400", "not approved for every week of the period")]
    for file in result.files:
        assert file.path.read_bytes() == (GOLDEN / format_name / file.path.name).read_bytes()


def test_the_export_is_recorded_and_downloads_again_byte_for_byte(session, migrated_url, tmp_path, company):
    result = _export(session, migrated_url, tmp_path, by="pat")
    record = session.get(PayrollExport, result.export_id)
    assert (record.period_start, record.period_end, record.format, record.preview) == (
        scenario.PERIOD.start, scenario.PERIOD.end, "generic", False)
    assert record.exported_by == "pat" and record.user_id is not None
    assert record.exported_at == EXPORTED_AT
    assert (record.technicians, record.left_out) == (3, 1)
    stored = export_files(session, result.export_id)
    assert [f.name for f in stored] == [f.path.name for f in result.files]
    for file, kept in zip(result.files, stored):
        data = file.path.read_bytes()
        assert kept.sha256 == file.sha256 == hashlib.sha256(data).hexdigest()
        assert b"".join(file_bytes(session, kept)) == data
    again = download(session, result.export_id, tmp_path / "again")
    assert [p.read_bytes() for p in again] == [f.path.read_bytes() for f in result.files]
    totals = {r.technician_id: r for r in session.query(PayrollExportTechnician).filter_by(export_id=result.export_id)}
    assert totals["T-200"].status == "exported"
    assert (totals["T-200"].double_time_us, totals["T-200"].premium_us) == (1_800_000_000, 3_600_000_000)
    assert totals["T-400"].status == "not_approved"


def test_a_file_larger_than_a_chunk_is_kept_in_chunks_and_comes_back_whole(
        session, migrated_url, tmp_path, company, monkeypatch):
    import hub.export.archive as archive

    monkeypatch.setattr(archive, "CHUNK_BYTES", 1000)
    result = _export(session, migrated_url, tmp_path)
    detail = export_files(session, result.export_id)[1]
    assert detail.size > 3000
    assert b"".join(file_bytes(session, detail)) == result.files[1].path.read_bytes()


def test_a_preview_includes_everyone_and_says_preview(session, migrated_url, tmp_path, company):
    result = _export(session, migrated_url, tmp_path, preview=True)
    assert result.exported == 4 and result.left_out == []
    summary = result.files[0].path
    assert summary.name == "depotclock-hours-2026-03-02_2026-03-15-PREVIEW.csv"
    rows = csv_rows(summary.read_bytes(), "utf-8-sig")
    assert {r["preview"] for r in rows} == {"PREVIEW"}
    assert {r["name"] for r in rows if r["technician_id"] == "T-400"} == {"'-Chen Wu"}  # neutralised
    assert session.get(PayrollExport, result.export_id).preview


@pytest.mark.parametrize("format_name", ["adp", "paychex", "iif", "gusto"])
def test_a_preview_of_a_payroll_systems_format_is_refused(session, migrated_url, tmp_path, company, format_name):
    """Issue 17 #3: previews were importable (IIF completely, ADP once renamed)."""
    with pytest.raises(ExportError, match="a preview is written only as DepotClock CSV"):
        _export(session, migrated_url, tmp_path, format_name, preview=True)
    assert session.query(PayrollExport).count() == 0


def test_reexport_after_a_correction_says_what_changed(session, migrated_url, tmp_path, company):
    first = _export(session, migrated_url, tmp_path)
    assert first.changes is None
    # Maria left Friday 6 March at 18:15, not 17:30; and Chen's second week is approved
    friday_out = next(p for p in company.values() if p.technician_id == "T-100" and p.action == "clock_out"
                      and p.at.astimezone(scenario.CHICAGO).date() == date(2026, 3, 6))
    move_punch(session, friday_out, datetime(2026, 3, 6, 18, 15, tzinfo=scenario.CHICAGO))
    decide(session, "T-400", WEEKS[1])
    second = _export(session, migrated_url, tmp_path, now=EXPORTED_AT + timedelta(hours=1))
    report = second.changes
    assert report.previous_id == first.export_id and not report.previous_preview
    changes = {c.technician_id: c for c in report.changes}
    assert set(changes) == {"T-100", "T-400"}
    maria = changes["T-100"]
    assert [(c.code, c.before, c.after) for c in maria.codes] == [
        (PayCode.OVERTIME, Decimal("10.47"), Decimal("11.22"))]
    chen = changes["T-400"]
    assert (chen.before_status, chen.after_status) == ("not_approved", "exported")
    assert [(c.code, c.before, c.after) for c in chen.codes] == [(PayCode.REGULAR, Decimal(0), Decimal("80.00"))]
    third = _export(session, migrated_url, tmp_path, now=EXPORTED_AT + timedelta(hours=2))
    assert third.changes.previous_id == second.export_id and third.changes.changes == ()


def test_two_approval_levels_need_payroll_too_and_a_later_void_undoes_it(session, migrated_url, tmp_path, company):
    def exported():
        result = export_period(session, settings(migrated_url, approval_levels=2), WEDNESDAY, "generic",
                               out_dir=tmp_path / "out", now=EXPORTED_AT)
        return sorted({s.technician_id for s in session.query(PayrollExportTechnician).filter_by(
            export_id=result.export_id, status="exported")})

    assert exported() == []
    for week in WEEKS:
        decide(session, "T-100", week, level="payroll", by="pat", at=EXPORTED_AT)
    assert exported() == ["T-100"]
    decide(session, "T-100", WEEKS[1], decision="voided", at=EXPORTED_AT + timedelta(minutes=1))
    assert exported() == []


def test_missing_settings_and_unknown_users_are_clear_errors(session, migrated_url, tmp_path, company):
    with pytest.raises(ExportError, match="no active hub user 'nobody'"):
        _export(session, migrated_url, tmp_path, by="nobody")
    bare = settings(migrated_url).model_copy(update={"export": scenario.SETTINGS.model_copy(
        update={"adp": scenario.SETTINGS.adp.model_copy(update={"company_code": ""})})})
    with pytest.raises(ExportError, match=r"\[export.adp\] company_code"):
        export_period(session, bare, WEDNESDAY, "adp", out_dir=tmp_path)
    assert session.query(PayrollExport).count() == 0
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_technician_without_a_payroll_id_is_left_out_of_the_generic_file_and_named(
        session, migrated_url, tmp_path, company):
    session.get(Technician, "T-300").payroll_id = None
    session.commit()
    result = _export(session, migrated_url, tmp_path, "generic")
    assert [(left.technician_id, left.reason) for left in result.left_out] == [
        ("T-300", "no payroll id"), ("T-400", "not approved for every week of the period")]


def _refused(session, migrated_url, tmp_path, format_name, *expected):
    with pytest.raises(ExportError) as refused:
        _export(session, migrated_url, tmp_path, format_name)
    for text in expected:
        assert text in str(refused.value)
    assert session.query(PayrollExport).count() == 0
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    return str(refused.value)


def _identity(session, tech: str, provider: str, **values):
    row = session.get(PayrollIdentity, (tech, provider))
    for name, value in values.items():
        setattr(row, name, value)
    session.commit()


def test_missing_and_malformed_identities_are_named_before_any_file_is_written(
        session, migrated_url, tmp_path, company):
    """Issue 17 #1, #4: the ADP file carried T-100 as File # and left out whoever had no id."""
    session.delete(session.get(PayrollIdentity, ("T-300", "adp")))
    _identity(session, "T-100", "adp", employee_id="T-100")
    message = _refused(session, migrated_url, tmp_path, "adp", "no ADP Workforce Now paydata file written",
                       "T-100 José Núñez Ruiz: ADP file number 'T-100' is not 1 to 6 digits",
                       "T-300 Okafor: no ADP file number")
    assert "T-200" not in message


def test_paychex_refuses_a_worker_id_over_10_characters_or_not_alphanumeric(session, migrated_url, tmp_path, company):
    """Issue 17 #5 (Paychex SPI): Worker ID letters and digits only, at most 10."""
    _identity(session, "T-100", "paychex", employee_id="00000000100")
    _identity(session, "T-200", "paychex", employee_id="T-200")
    _refused(session, migrated_url, tmp_path, "paychex", "T-100 José Núñez Ruiz: Paychex worker id '00000000100'",
             "T-200 Ana \"Annie\" O'Neil: Paychex worker id 'T-200' is not 1 to 10 letters and digits")


def test_gusto_needs_its_own_id_and_both_names(session, migrated_url, tmp_path, company):
    """Issue 17 #1: Gusto's id is its own; first_name and last_name are required, not split."""
    session.delete(session.get(PayrollIdentity, ("T-100", "gusto")))
    session.get(Technician, "T-300").given_name = ""
    session.commit()
    _refused(session, migrated_url, tmp_path, "gusto", "T-100 José Núñez Ruiz: no Gusto employee id",
             "T-300 Okafor: no given name (Gusto needs first_name and last_name)")


def test_existing_formula_names_are_refused_in_import_files(session, migrated_url, tmp_path, company):
    """Issue 17 #7: a name entered before the rule (or behind its back) is not exported."""
    session.get(Technician, "T-200").family_name = '=HYPERLINK("http://x"&A1,"Click")'
    session.commit()
    _refused(session, migrated_url, tmp_path, "gusto", "T-200", "family name", "runs as a formula")
    _identity(session, "T-100", "iif", employee_name="@Lopez, Maria")
    _refused(session, migrated_url, tmp_path, "iif", "T-100 José Núñez Ruiz: QuickBooks employee name '@Lopez")


def test_iif_names_missing_jobs_and_names_windows_1252_cannot_hold(session, migrated_url, tmp_path, company):
    """Issue 17 #2: JOB must exist in Customers & Jobs; QuickBooks Desktop reads Windows-1252."""
    session.get(WorkOrder, "WO-12").quickbooks_job = None
    session.commit()
    _identity(session, "T-200", "iif", employee_name="Nguyễn, Ana")
    _refused(session, migrated_url, tmp_path, "iif", "work order WO-12 (+Harbor Foods, Inc.): no QuickBooks job",
             "T-200 Ana \"Annie\" O'Neil: QuickBooks employee name 'Nguyễn, Ana' holds 'ễ', which QuickBooks Desktop's Windows-1252")


def test_iif_refuses_the_default_company(session, migrated_url, tmp_path, company):
    bare = settings(migrated_url).model_copy(update={"export": scenario.SETTINGS.model_copy(
        update={"iif": IifExport()})})
    with pytest.raises(ExportError, match="company_name and company_create_time"):
        export_period(session, bare, WEDNESDAY, "iif", out_dir=tmp_path)


def test_adp_batch_ids_differ_per_export_and_a_download_repeats_its_own(session, migrated_url, tmp_path, company):
    """Issue 17 #4 (Odoo: a unique value per import): the Batch ID was DEPOTCLOCK every period."""
    first = _export(session, migrated_url, tmp_path, "adp")
    first_bytes = first.files[0].path.read_bytes()
    second = _export(session, migrated_url, tmp_path, "adp", now=EXPORTED_AT + timedelta(hours=1))
    batches = [{r["Batch ID"] for r in csv_rows(data)} for data in (first_bytes, second.files[0].path.read_bytes())]
    assert batches == [{f"MAR{first.export_id}"}, {f"MAR{second.export_id}"}]
    (again,) = download(session, first.export_id, tmp_path / "again")
    assert again.read_bytes() == first_bytes


def test_worker_processes_write_the_same_bytes(session, migrated_url, tmp_path, company):
    result = _export(session, migrated_url, tmp_path, "generic", chunk=1, workers=2)
    assert result.exported == 3 and [left.technician_id for left in result.left_out] == ["T-400"]
    for file in result.files:
        assert file.path.read_bytes() == (GOLDEN / "generic" / file.path.name).read_bytes()


def test_gusto_carries_premium_hours_and_names_the_mileage_it_has_no_line_for(
        session, migrated_url, tmp_path, company):
    """Issue 17 #6: premium hours were dropped with a note, and Gusto overwrites hand entries."""
    result = _export(session, migrated_url, tmp_path, "gusto")
    ana = next(r for r in csv_rows(result.files[0].path.read_bytes()) if r["gusto_employee_id"] == "d4e5f6")
    assert ana["missed_break_hours"] == "1.00"
    (note,) = result.notes
    assert "no line for mileage reimbursement" in note and "T-200 (95.7 mi, 66.99 USD)" in note


def test_holiday_hours_are_exported_under_their_codes_and_a_removed_holiday_shows_as_a_change(
        session, migrated_url, tmp_path, company):
    import csv
    import io

    from hub.services import holidays

    founders = holidays.add_company_day(session, date(2026, 3, 3), "Founders' Day")
    session.commit()
    first = _export(session, migrated_url, tmp_path)
    summary = next(f for f in first.files if "hours" in f.path.name)
    rows = list(csv.DictReader(io.StringIO(summary.path.read_text())))
    hol = {r["technician_id"]: r["hours"] for r in rows if r["pay_code"] == "HOL"}
    assert hol == {"T-100": "8.00", "T-200": "8.00", "T-300": "8.00"}
    assert {r["technician_id"] for r in rows if r["pay_code"] == "HOLW"} == {"T-100", "T-200", "T-300"}
    recorded = {r.technician_id: r for r in session.query(PayrollExportTechnician).filter_by(
        export_id=first.export_id)}
    assert recorded["T-100"].holiday_us == 8 * 3_600_000_000
    gusto = _export(session, migrated_url, tmp_path, "gusto", now=EXPORTED_AT + timedelta(minutes=1))
    assert any("no column for holiday hours" in note and "T-100 (8.00 h)" in note for note in gusto.notes)
    holidays.remove_company_day(session, founders.id)
    session.commit()
    again = _export(session, migrated_url, tmp_path, now=EXPORTED_AT + timedelta(hours=1))
    maria = next(c for c in again.changes.changes if c.technician_id == "T-100")
    changed = {c.code: (c.before, c.after) for c in maria.codes}
    assert changed[PayCode.HOLIDAY] == (Decimal("8.00"), Decimal(0))
    assert changed[PayCode.HOLIDAY_WORKED][1] == 0 and changed[PayCode.REGULAR][0] < changed[PayCode.REGULAR][1]
