"""Pages say things as people read them (issue 18): no True/False, no raw column names or
exception codes, money with its currency."""

from __future__ import annotations

import re

import pytest


def test_admin_tables_say_yes_and_no_under_their_labels(client, auth):
    auth.login("ada")
    page = client.get("/admin/technicians/").data.decode()
    assert "<th>Home depot</th>" in page and "<th>Tracks time</th>" in page and "<th>home depot id</th>" not in page
    rows = page[page.index('id="rows"'):page.index("</table>")]
    assert ">yes<" in rows and not re.search(r">\s*(True|False)\s*<", rows)
    assert not re.search(r">\s*(True|False)\s*<", client.get("/admin/users/").data.decode())
    admin = client.get("/admin/").data.decode()
    assert not re.search(r">\s*(True|False)\s*<", admin)
    assert "Decimal(" not in admin and "=None" not in admin  # a group of settings as its settings
    assert "country: not set; subdivision: not set; hours: 8; worked rate: 1.5" in admin


def test_the_overtime_report_names_exceptions_in_words(client, auth):
    auth.login("sam")
    page = client.get("/reports/overtime?day=2026-03-04&weeks=1").data.decode()
    table = page[page.index('id="overtime"'):]
    assert "time on the clock not accounted for" in table and "unaccounted_gap" not in table.replace(
        'data-code="unaccounted_gap"', "")


def test_money_is_shown_with_its_currency(client, auth):
    auth.login("sam")
    assert re.search(r"Cost: <strong>\$[\d,]+\.\d\d</strong>",
                     client.get("/technicians/T-100/week/2026-03-02").data.decode())
    report = client.get("/reports/work-orders?start=2026-03-02&end=2026-03-08").data.decode()
    assert re.search(r'<td class="num">\$[\d,]+\.\d\d</td>', report)


def _read(page: str) -> str:
    """What people read on a page: its text, without tags (or their attributes), file
    names and checksums (those are shown as they are)."""
    text = re.sub(r"<[^>]+>", " ", page[page.index("<main"):])
    return re.sub(r"\S+\.(csv|iif)\b|\b[0-9a-f]{12,}…?", " ", text)


@pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)  # words, not the store
def test_the_exports_page_and_its_history_say_words_not_codes(client, auth):
    auth.login("pat")
    client.post("/payroll/exports/", data={"day": "2026-03-04", "format": "generic", "preview": "y"})
    result = client.post("/payroll/exports/", data={"day": "2026-03-02", "format": "gusto", "confirm_empty": "yes"})
    history = client.get("/payroll/exports/?day=2026-03-02")
    for page in (result.get_data(as_text=True), history.get_data(as_text=True)):
        text = _read(page)
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text)  # not_approved, double_time, visit_not_closed ...
        assert not re.search(r"\b(True|False|None)\b", text) and not re.search(r"\d\.\d{3,}", text)
        assert "Gusto CSV" in text and "DepotClock CSV (hours and detail)" in text  # formats by their titles
    text = _read(result.get_data(as_text=True))
    assert "in the file → not approved" in text and "regular hours: 11.17 → 0" in text
    assert "04 Mar 2026 14:00" in text  # the preview compared with, in the depot's zone (20:00 UTC)
