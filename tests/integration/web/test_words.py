"""Pages say things as people read them (issue 18): no True/False, no raw column names or
exception codes, money with its currency."""

from __future__ import annotations

import re


def test_admin_tables_say_yes_and_no_under_their_labels(client, auth):
    auth.login("ada")
    page = client.get("/admin/technicians/").data.decode()
    assert "<th>Home depot</th>" in page and "<th>Tracks time</th>" in page and "<th>home depot id</th>" not in page
    rows = page[page.index('id="rows"'):page.index("</table>")]
    assert ">yes<" in rows and not re.search(r">\s*(True|False)\s*<", rows)
    assert not re.search(r">\s*(True|False)\s*<", client.get("/admin/users/").data.decode())
    assert not re.search(r">\s*(True|False)\s*<", client.get("/admin/").data.decode())


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
