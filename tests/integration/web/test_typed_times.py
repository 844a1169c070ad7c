"""Times are taken as people type them, refused with the field named when they are not
times, shown on the technician's wall clock, and a refused form keeps what was typed
(issue 18: `07.05` saved 07:00)."""

from __future__ import annotations

from datetime import datetime

import pytest

from hub.store.models import Correction
from tests.integration.web.company import CHICAGO, stored
from tests.integration.web.test_api import api  # noqa: F401  (fixture)

SUPERVISOR_FIX = {"kind": "add_punch", "action": "clock_out", "day": "2026-03-03", "form_id": "add"}


def _saved_at(url: str) -> datetime:
    (row,) = stored(url, Correction)
    return datetime.fromisoformat(row.values["at"]).astimezone(CHICAGO)


@pytest.mark.parametrize("typed", ["07.05", "7:05", "0705", "7:05 am", "07:05"])
def test_a_technicians_manual_entry_is_taken_as_typed(client, auth, seeded, typed):
    auth.login("maria")
    response = client.post("/me/manual", data={"day": "2026-03-03", "time": typed, "action": "clock_out",
                                               "reason": "forgot to badge out"})
    assert response.status_code == 302
    assert f"{_saved_at(seeded[0]):%Y-%m-%d %H:%M}" == "2026-03-03 07:05"


@pytest.mark.parametrize("typed, saved", [("7:05 pm", "19:05"), ("11.40", "11:40"), ("1905", "19:05")])
def test_a_supervisors_correction_is_taken_as_typed(client, auth, seeded, typed, saved):
    auth.login("sam")
    response = client.post("/technicians/T-100/corrections",
                           data={**SUPERVISOR_FIX, "time": typed, "reason": "left late"})
    assert response.status_code == 302
    assert f"{_saved_at(seeded[0]):%H:%M}" == saved


def test_a_time_that_is_not_one_is_refused_naming_the_field_and_keeps_the_form(client, auth, seeded):
    auth.login("sam")
    response = client.post("/technicians/T-100/corrections",
                           data={**SUPERVISOR_FIX, "time": "16.3O", "reason": "left at half past four"})
    page = response.data.decode()
    assert response.status_code == 422
    assert "Time: “16.3O” is not a time" in page
    assert 'value="16.3O"' in page and 'value="left at half past four"' in page
    assert stored(seeded[0], Correction) == []


def test_a_technicians_refused_form_keeps_what_was_typed(client, auth, seeded):
    auth.login("maria")
    response = client.post("/me/account", data={"day": "2026-03-04", "start": "8:15", "end": "25:00",
                                                "work_order": "WO-7", "note": "rooftop unit"})
    page = response.data.decode()
    assert response.status_code == 422 and "Until: “25:00” is not a time of day" in page
    assert 'value="8:15"' in page and 'value="25:00"' in page and "rooftop unit" in page
    assert stored(seeded[0], Correction) == []


def test_a_refused_lock_keeps_the_dates_typed(client, auth):
    auth.login("pat")
    response = client.post("/payroll/lock", data={"period_start": "2026-02-09", "period_end": "2026-02-31"})
    page = response.data.decode()
    assert response.status_code == 422 and "To: there is no day 2026-02-31" in page
    assert 'value="2026-02-09"' in page and 'value="2026-02-31"' in page


def test_the_api_writes_a_legs_end_on_the_technicians_clock(api):  # noqa: F811
    """Monday's leg ended 08:00 in Chicago, 14:00 UTC: its words said `until 14:00`."""
    body = api("GET", "/events?technician_id=T-100&start=2026-03-02&end=2026-03-02").get_json()
    (leg,) = [e for e in body["events"] if e["kind"] == "leg"]
    assert body["timezone"] == "America/Chicago"
    assert leg["at"] == "2026-03-02T07:20:00-06:00" and leg["what"].endswith("until 08:00")


def test_the_supervisors_day_page_shows_a_legs_end_on_the_local_clock(client, auth):
    auth.login("sam")
    page = client.get("/technicians/T-100/day/2026-03-02").data.decode()
    assert "until 08:00" in page and "until 14:00" not in page
    assert 'id="zone" data-zone="America/Chicago"' in page
