"""The team timesheet (issue 18): every technician of a depot by day for a week (worked,
overtime, drive, on site, open exceptions) with totals, as a page and as CSV."""

from __future__ import annotations

import csv
import io


def _cell(page: str, technician: str, day: str) -> str:
    row = page[page.index(f'data-technician="{technician}"'):]
    row = row[:row.index("</tr>")]
    cell = row[row.index(f'data-day="{day}"'):]
    return cell[:cell.index("</td>")]


def test_a_depots_week_by_technician_and_day_with_totals(client, auth):
    auth.login("sam")
    page = client.get("/team/?week=2026-03-04").data.decode()  # any day of the week
    assert "week of 02 Mar 2026" in page and "T-200" not in page  # sam's depot only
    monday = _cell(page, "T-100", "2026-03-02")
    assert ">8:30<" in monday and "drive <span" in monday and ">0:40<" in monday and ">3:30<" in monday
    assert ">1 exception<" in monday  # the afternoon, on the clock with nothing recorded
    assert 'data-figure="exceptions"' in _cell(page, "T-100", "2026-03-03")  # no clock-out on Tuesday
    assert _cell(page, "T-101", "2026-03-02").count(">0:00<") == 3  # nothing on Monday
    week = _cell(page, "team", "week")
    assert ">3:30<" in week  # the team's site time is Maria's Monday visit
    assert 'id="zone" data-zone="America/Chicago"' in page


def test_the_team_timesheet_as_csv(client, auth):
    auth.login("sam")
    response = client.get("/team.csv?week=2026-03-02")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="team-north-2026-03-02.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert len(rows) == 2 * 8  # two technicians, seven days and the week
    monday = next(r for r in rows if r["technician_id"] == "T-100" and r["date"] == "2026-03-02")
    assert (monday["worked_h"], monday["drive_h"], monday["on_site_h"], monday["exceptions"]) == (
        "8.50", "0.67", "3.50", "1")
    assert {r["date"] for r in rows if r["technician_id"] == "T-101"} >= {"2026-03-08", "week"}


def test_another_depot_or_a_bad_week_is_refused(client, auth):
    auth.login("sam")
    assert client.get("/team/?depot=south").status_code == 404
    assert client.get("/team/?week=someday").status_code == 400
