"""Timesheets printed for sign-off (issue 18): a technician's week and the team timesheet
as PDF, with the hours, the approval trail in the depot's zone (named) and signature
lines; served under the same role checks as their pages, with a safe file name."""

from __future__ import annotations

import subprocess

import pytest

from hub.web.printed import safe_filename
from tests.integration.web.test_supervisor import APPROVE, week_over_and_submitted

SQLITE = pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)  # the store is not what is tested


def pdf_text(response) -> str:
    """The PDF's text as poppler reads it (a file that does not parse fails here)."""
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.data, capture_output=True,
                          check=True).stdout.decode()


@SQLITE
def test_a_week_printed_for_sign_off_has_the_hours_trail_and_signatures(app, client, auth):
    week_over_and_submitted(app, client, auth)  # Maria submits Monday 9 March, 09:00 Chicago (15:00 UTC)
    auth.login("sam")
    assert client.post("/technicians/T-100/approve", data=APPROVE).status_code == 302
    response = client.get("/technicians/T-100/week/2026-03-04.pdf")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="timesheet-T-100-Maria-Lopez-2026-03-02.pdf"')
    text = pdf_text(response)
    assert "Maria Lopez" in text and "week of 02 Mar 2026" in text and "Times in America/Chicago" in text
    assert "07:00–16:00" in text and "8:30" in text  # Monday in Chicago's wall time, worked h:mm
    assert "Mon 09 Mar 2026 09:00 · submitted by maria" in text  # 15:00 UTC
    assert "approved by sam (supervisor)" in text and "15:00" not in text
    assert "Technician: Maria Lopez · signature and date" in text and "Supervisor: name, signature" in text
    auth.logout()
    auth.login("maria")
    mine = pdf_text(client.get("/me/week.pdf?week=2026-03-02"))
    assert "Maria Lopez" in mine and "approved by sam (supervisor)" in mine


@SQLITE
def test_the_team_timesheet_printed(client, auth):
    auth.login("sam")
    response = client.get("/team.pdf?week=2026-03-02")
    assert 'filename="team-timesheet-north-2026-03-02.pdf"' in response.headers["Content-Disposition"]
    text = pdf_text(response)
    assert "Team timesheet · North Depot · week of 02 Mar 2026" in text and "Times in America/Chicago" in text
    assert "Maria Lopez" in text and "James Carter" in text and "Sofia Reyes" not in text
    assert "8:30" in text and "No decisions yet." in text and "Supervisor: name, signature and date" in text
    assert "Technician’s signature" in text


@SQLITE
def test_a_technician_cannot_fetch_another_technicians_pdf(client, auth):
    auth.login("maria")
    assert client.get("/technicians/T-101/week/2026-03-02.pdf").status_code == 403
    assert client.get("/team.pdf?week=2026-03-02").status_code == 403
    auth.logout()
    auth.login("sam")  # a supervisor of North: South's technician is not there for him
    assert client.get("/technicians/T-200/week/2026-03-02.pdf").status_code == 404


def test_a_file_name_keeps_letters_digits_and_dashes_only():
    assert safe_filename("timesheet", "T-1", 'José "Pepe" Núñez/../x', "2026-03-02") == (
        "timesheet-T-1-Jose-Pepe-Nunez-x-2026-03-02.pdf")
    assert safe_filename("..", "\r\n") == "timesheet.pdf"
    assert safe_filename("a" * 500, suffix=".csv") == "a" * 80 + ".csv"
