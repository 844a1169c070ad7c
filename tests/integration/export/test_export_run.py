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
from hub.store.models import PayrollExport, PayrollExportTechnician
from tests.integration.export.company import (
    WEEKS,
    approve_all_but_chen,
    decide,
    move_punch,
    seed,
    settings,
)
from tests.unit.export import scenario

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
    lines = summary.read_text().splitlines()
    assert lines[1].split(",")[2] == "PREVIEW"
    assert any(line.split(",")[2] == "T-400" for line in lines)
    assert session.get(PayrollExport, result.export_id).preview


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


def test_a_technician_without_a_payroll_id_is_left_out_and_named(session, migrated_url, tmp_path, company):
    from hub.store.models import Technician

    session.get(Technician, "T-300").payroll_id = None
    session.commit()
    result = _export(session, migrated_url, tmp_path, "adp")
    assert [(left.technician_id, left.reason) for left in result.left_out] == [
        ("T-300", "no payroll id"), ("T-400", "not approved for every week of the period")]
    assert b"000300" not in result.files[0].path.read_bytes()
    iif = _export(session, migrated_url, tmp_path, "iif")  # QuickBooks goes by name
    assert [left.technician_id for left in iif.left_out] == ["T-400"]


def test_paychex_refuses_a_worker_id_over_10_characters(session, migrated_url, tmp_path, company):
    from hub.store.models import Technician

    session.get(Technician, "T-100").payroll_id = "00000000100"
    session.commit()
    result = _export(session, migrated_url, tmp_path, "paychex")
    assert "longer than Paychex's 10 characters" in result.left_out[0].reason


def test_worker_processes_write_the_same_bytes(session, migrated_url, tmp_path, company):
    result = _export(session, migrated_url, tmp_path, "generic", chunk=1, workers=2)
    assert result.exported == 3 and [left.technician_id for left in result.left_out] == ["T-400"]
    for file in result.files:
        assert file.path.read_bytes() == (GOLDEN / "generic" / file.path.name).read_bytes()


def test_gusto_names_the_premium_hours_it_has_no_column_for(session, migrated_url, tmp_path, company):
    result = _export(session, migrated_url, tmp_path, "gusto")
    (note,) = result.notes
    assert "no column for premium pay" in note and "T-200 (1.00 h)" in note


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
