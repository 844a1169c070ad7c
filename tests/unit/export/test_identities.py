"""Each payroll system's identity rules (issue 17 #1, #2, #4, #5; payroll-formats.md), the
QuickBooks settings that must be the company file's own, and Paychex's 20-character pay
components, refused before anything is written."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hub.export import iif
from hub.export.cells import formula_like, neutral, text_problem
from hub.export.context import ExportError
from hub.export.identities import Identity, adp_file_number, identity_problem, job_problem
from hub.settings import IifExport, PaychexExport, PayCodes
from tests.unit.export import scenario


@pytest.mark.parametrize(("employee_id", "problem"), [
    ("000100", None), ("42", None), ("T-100", "is not 1 to 6 digits"), ("1234567", "is not 1 to 6 digits"),
    ("١٢٣", "is not 1 to 6 digits"), ("", "no ADP file number"),
])
def test_adp_file_number_is_one_to_six_digits_ttimetrex(employee_id, problem):
    found = identity_problem("adp", Identity(employee_id))
    assert (found is None) if problem is None else (problem in found)


def test_adp_file_numbers_are_written_zero_padded_to_six():
    assert adp_file_number("42") == "000042" and adp_file_number("123456") == "123456"


@pytest.mark.parametrize(("worker", "ok"), [
    ("T100", True), ("ABCDEFGH12", True), ("T-100", False), ("ABCDEFGH123", False), ("Tö1", False), ("=1", False),
])
def test_paychex_worker_id_is_alphanumeric_at_most_10_spi(worker, ok):
    assert (identity_problem("paychex", Identity(worker)) is None) is ok


def test_gusto_needs_its_own_id():
    assert identity_problem("gusto", None) == "no Gusto employee id"
    assert identity_problem("gusto", Identity("a1b2c3")) is None
    assert "letters and digits" in identity_problem("gusto", Identity("=cmd"))


@pytest.mark.parametrize(("name", "problem"), [
    ("Núñez Ruiz, José", None), ("O'Neil, Ana", None),
    ("Nguyễn, Văn", "Windows-1252"),  # ễ and ă are not in the ANSI code page
    ("=HYPERLINK(1)", "formula"), ("Wu\tChen", "control character"), ("", "no QuickBooks employee name"),
    ("x" * 42, "41 characters"),
])
def test_quickbooks_employee_names_are_windows_1252_and_never_formulas(name, problem):
    found = identity_problem("iif", Identity(None, name))
    assert (found is None) if problem is None else (problem in found), found


def test_quickbooks_jobs_are_required_and_checked_like_names():
    assert job_problem(None) == "no QuickBooks job"
    assert job_problem("Harbor Foods, Inc.:WO-12") is None
    assert "formula" in job_problem("+Harbor:WO-12") and "Windows-1252" in job_problem("Łódź:1")


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_prefixes_owasp_csv_injection(text):
    assert formula_like(text) and neutral(text) == "'" + text and text_problem(text)


@pytest.mark.parametrize("text", ["José", "O'Neil", "a=b", "", "1-2"])
def test_ordinary_text_is_left_alone(text):
    assert not formula_like(text) and neutral(text) == text


def test_iif_refuses_the_default_company_and_names_what_to_set():
    """Issue 17 #2: a file with the default COMPANYNAME/COMPANYCREATETIME is refused by QuickBooks."""
    with pytest.raises(ExportError, match=r"company_name and company_create_time"):
        iif.check(scenario.SETTINGS.model_copy(update={"iif": IifExport()}))
    with pytest.raises(ExportError, match=r"service_item: .*Windows-1252"):
        iif.check(scenario.SETTINGS.model_copy(update={"iif": scenario.SETTINGS.iif.model_copy(
            update={"service_item": "Field Service ✓"})}))
    iif.check(scenario.SETTINGS)


def test_paychex_pay_components_are_at_most_20_characters():
    """Issue 17 #5 (SPI specification): checked when the settings are read."""
    with pytest.raises(ValidationError, match="longer than 20 characters"):
        PaychexExport(client_id="7001", pay_codes=PayCodes(regular="Regular Hourly Pay Rate"))
    with pytest.raises(ValidationError):
        PaychexExport(client_id="7001", mileage_component="Mileage Reimbursement")
