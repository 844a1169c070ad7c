"""Hours-only entries on the web (issue 19): a technician enters hours with no punches, with
a reason, until the week is submitted (if the company lets them); a supervisor of the
technician's depot until it is approved. Garbage in every field is refused, naming it."""

from __future__ import annotations

import csv
import io
import re

from hub.store.models import HoursEntry, HoursEntryVoid, User
from hub.web import db
from tests.integration.web.company import PASSWORD, page_text, stored
from tests.integration.web.conftest import make_app
from tests.integration.web.test_api import api  # noqa: F401  (a fixture)
from tests.integration.web.test_printed_timesheets import pdf_text

TRAINING = {"day": "2026-03-03", "duration": "2", "category": "non-billable:training",
            "reason": "forklift safety training"}


def _week_cell(client, path: str, day: str) -> str:
    return re.search(rf'data-entered="{day}">([^<]*)<', page_text(client.get(path))).group(1)


def test_a_technicians_garbage_is_refused_naming_the_field(client, auth, seeded):
    auth.login("maria")
    for changed, field, words in (
        ({"duration": "0"}, "duration", b"more than zero"), ({"duration": "25"}, "duration", b"at most 24 hours"),
        ({"duration": "abc"}, "duration", b"is not a duration"), ({"duration": ""}, "duration", b"Give the hours."),
        ({"duration": "1.333"}, "duration", b"whole minutes"), ({"duration": "23"}, "duration", b"more than 24 hours"),
        ({"reason": ""}, "reason", b"Say why these hours have no punches."),
        ({"reason": "x" * 10_000}, "reason", b"500 characters"),
        ({"category": "other-company:shop"}, "category", b"no task category other-company:shop"),
        ({"category": ""}, "category", b"one of them"), ({"work_order": "WO-7"}, "category", b"one of them"),
        ({"category": "", "work_order": "WO-90"}, "work_order", b"no work order WO-90"),  # the south depot's
        ({"day": "2026-03-05"}, "day", b"still to come"), ({"day": "not a day"}, "day", b""),
    ):
        response = client.post("/me/hours/", data={**TRAINING, **changed})
        assert response.status_code == 422, changed
        assert f'data-field="{field}"'.encode() in response.data and words in response.data, changed
    assert stored(seeded[0], HoursEntry) == []


def test_a_technician_enters_and_voids_hours_until_the_week_is_submitted(client, auth, seeded):
    url = seeded[0]
    auth.login("maria")
    before = page_text(client.get("/me/week?week=2026-03-02"))
    assert 'id="enter-hours"' in before and _week_cell(client, "/me/week?week=2026-03-02", "2026-03-03") == "0:00"
    assert client.get("/me/hours/?day=2026-03-03").status_code == 200
    assert client.post("/me/hours/", data=TRAINING).status_code == 302
    assert client.post("/me/hours/", data={**TRAINING, "category": "", "work_order": "WO-7", "duration": "1:30",
                                           "reason": "paperwork for the rooftop unit"}).status_code == 302
    maria = next(u.id for u in stored(url, User) if u.username == "maria")
    rows = sorted(stored(url, HoursEntry), key=lambda r: r.id)
    assert [(r.minutes, r.category_id, r.work_order_id, r.created_by) for r in rows] == [
        (120, "non-billable:training", None, maria), (90, None, "WO-7", maria)]
    week = page_text(client.get("/me/week?week=2026-03-02"))
    assert "forklift safety training" in week and "by maria" in week and "Training" in week
    assert _week_cell(client, "/me/week?week=2026-03-02", "2026-03-03") == "3:30"
    printed = pdf_text(client.get("/me/week.pdf?week=2026-03-02"))
    assert "Hours without punches" in printed and "forklift safety training" in printed
    tuesday = page_text(client.get("/me/?day=2026-03-03"))
    assert f'data-entry="h{rows[0].id}"' in tuesday

    refused = client.post(f"/me/hours/{rows[1].id}/void", data={"day": "2026-03-03", "reason": " "})
    assert refused.status_code == 422 and b"say why" in refused.data
    assert client.post(f"/me/hours/{rows[1].id}/void", data={"day": "2026-03-03",
                                                             "reason": "entered twice"}).status_code == 302
    again = client.post(f"/me/hours/{rows[1].id}/void", data={"day": "2026-03-03", "reason": "again"})
    assert again.status_code == 422 and b"no hours-only entry" in again.data
    assert [v.entry_id for v in stored(url, HoursEntryVoid)] == [rows[1].id]
    assert _week_cell(client, "/me/week?week=2026-03-02", "2026-03-03") == "2:00"
    assert f'data-voided="h{rows[1].id}"' in page_text(client.get("/me/hours/?day=2026-03-03"))

    assert client.post("/me/week/submit", data={"week": "2026-03-02"}).status_code == 302
    assert b'id="closed"' in client.get("/me/hours/?day=2026-03-03").data
    refused = client.post("/me/hours/", data=TRAINING)
    assert refused.status_code == 422 and b"is submitted; a supervisor must reject it" in refused.data
    refused = client.post(f"/me/hours/{rows[0].id}/void", data={"day": "2026-03-03", "reason": "x"})
    assert refused.status_code == 422
    assert len(stored(url, HoursEntry)) == 2 and len(stored(url, HoursEntryVoid)) == 1


def test_a_technician_may_not_enter_hours_for_another(client, auth, seeded):
    auth.login("maria")
    assert client.post("/technicians/T-101/hours", data=TRAINING).status_code == 403
    auth.logout()
    auth.login("sam")
    assert client.post("/technicians/T-101/hours", data=TRAINING).status_code == 302
    (entry,) = stored(seeded[0], HoursEntry)
    auth.logout()
    auth.login("maria")  # not hers: as if it were not there
    response = client.post(f"/me/hours/{entry.id}/void", data={"day": "2026-03-03", "reason": "not mine"})
    assert response.status_code == 422 and stored(seeded[0], HoursEntryVoid) == []


def test_the_company_can_turn_technicians_own_hours_off(seeded):
    app = make_app(seeded[0], own_corrections=False)
    client = app.test_client()
    client.post("/login", data={"username": "maria", "password": PASSWORD})
    assert b'id="not-allowed"' in client.get("/me/hours/").data
    refused = client.post("/me/hours/", data=TRAINING)
    assert refused.status_code == 403 and b"does not let technicians enter their own hours" in refused.data
    client.post("/logout")
    client.post("/login", data={"username": "sam", "password": PASSWORD})  # a supervisor still may
    assert client.post("/technicians/T-100/hours", data=TRAINING).status_code == 302
    assert len(stored(seeded[0], HoursEntry)) == 1
    db.dispose(app)


def test_a_supervisor_adds_and_voids_hours_for_their_depot_until_the_period_is_locked(client, auth, seeded):
    url = seeded[0]
    auth.login("sue")  # the south depot's supervisor
    assert client.post("/technicians/T-100/hours", data=TRAINING).status_code == 404
    auth.logout()
    auth.login("sam")
    refused = client.post("/technicians/T-100/hours", data={**TRAINING, "duration": "-1"})
    assert refused.status_code == 422 and b'data-field="hours_duration"' in refused.data
    assert client.post("/technicians/T-100/hours", data={**TRAINING, "day": "2026-03-02", "category": "",
                                                         "work_order": "WO-7", "duration": "1:30",
                                                         "reason": "site survey, no van"}).status_code == 302
    (entry,) = stored(url, HoursEntry)
    week = page_text(client.get("/technicians/T-100/week/2026-03-02"))
    assert "site survey, no van" in week and "by sam" in week and f'data-entry="h{entry.id}"' in week
    assert _week_cell(client, "/technicians/T-100/week/2026-03-02", "2026-03-02") == "1:30"
    assert f'data-entry="h{entry.id}"' in page_text(client.get("/technicians/T-100/day/2026-03-02"))
    assert re.search(r'data-entered="T-100">1:30<', page_text(client.get("/work-orders/WO-7?start=2026-03-01&end=2026-03-04")))
    (report,) = csv.DictReader(io.StringIO(client.get("/reports/work-orders.csv?start=2026-03-02&end=2026-03-08")
                                           .get_data(as_text=True).lstrip("\ufeff")))
    assert (report["hours_only_hours"], report["cost"]) == ("1.50", "226.67")  # 4 h 10 min + 1 h 30 min at 40/h
    team = list(csv.DictReader(io.StringIO(client.get("/team.csv?week=2026-03-02").data.decode())))
    monday = next(r for r in team if r["technician_id"] == "T-100" and r["date"] == "2026-03-02")
    assert monday["worked_h"] == "10.00"  # 8.50 on the clock and 1:30 entered
    refused = client.post(f"/technicians/T-100/hours/{entry.id}/void", data={"day": "2026-03-02", "reason": ""})
    assert refused.status_code == 422
    assert client.post(f"/technicians/T-100/hours/{entry.id}/void",
                       data={"day": "2026-03-02", "reason": "was on the clock after all"}).status_code == 302
    week = page_text(client.get("/technicians/T-100/week/2026-03-02"))
    assert "voided by sam" in week and "was on the clock after all" in week
    auth.logout()
    auth.login("pat")
    assert client.post("/payroll/lock", data={"period_start": "2026-02-23", "period_end": "2026-03-08"}).status_code == 302
    auth.logout()
    auth.login("sam")
    refused = client.post("/technicians/T-100/hours", data=TRAINING)
    assert refused.status_code == 422 and b"is locked" in refused.data
    assert len(stored(url, HoursEntry)) == 1


def test_entered_hours_are_in_the_payroll_export_detail_as_hours_only(client, auth, seeded):
    auth.login("maria")
    assert client.post("/me/hours/", data=TRAINING).status_code == 302
    assert client.post("/me/hours/", data={**TRAINING, "day": "2026-03-04", "duration": "0:45", "category": "",
                                           "work_order": "WO-7", "reason": "quote by phone"}).status_code == 302
    auth.logout()
    auth.login("pat")
    page = client.post("/payroll/exports/", data={"day": "2026-03-04", "format": "generic", "preview": "y"})
    links = sorted(set(re.findall(r'href="(/payroll/exports/\d+/files/\d+)"', page.get_data(as_text=True))))
    detail = next(text for text in (client.get(link).get_data(as_text=True).lstrip("\ufeff") for link in links)
                  if text.startswith("preview,technician_id,employee_id,workday"))
    rows = [r for r in csv.DictReader(io.StringIO(detail)) if r["category"] == "hours_only"]
    assert [(r["technician_id"], r["workday"], r["start"], r["end"], r["work_order"], r["customer"], r["hours"])
            for r in rows] == [("T-100", "2026-03-03", "", "", "non-billable:training", "", "2.00"),
                               ("T-100", "2026-03-04", "", "", "WO-7", "Lakeview Dental", "0.75")]


def test_the_api_enters_lists_and_voids_hours_naming_bad_fields(api, seeded):  # noqa: F811
    body = {"technician_id": "T-100", "day": "2026-03-03", "minutes": 90, "category": "non-billable:training",
            "reason": "forklift safety training"}
    for changed, field, status in (
        ({"minutes": 0}, "minutes", 422), ({"minutes": 1441}, "minutes", 422), ({"minutes": "abc"}, "minutes", 422),
        ({"minutes": 1.5}, "minutes", 422), ({"reason": ""}, "reason", 422), ({"reason": "x" * 10_000}, "reason", 422),
        ({"category": "other-company:shop"}, "category", 422), ({"work_order": "WO-7"}, "category", 422),
        ({"day": "2026-03-09"}, "day", 422), ({"minutes": 23 * 60}, "duration", 422),
    ):
        response = api("POST", "/hours-entries", json={**body, **changed})
        assert (response.status_code, response.get_json()["field"]) == (status, field), changed
    assert api("POST", "/hours-entries", "james", json=body).status_code == 404  # another technician: not there
    assert api("POST", "/hours-entries", "sue", json=body).status_code == 404  # another depot's
    created = api("POST", "/hours-entries", "maria", json=body)
    assert created.status_code == 201, created.get_json()
    entry = created.get_json()
    assert (entry["minutes"], entry["category"], entry["work_order"], entry["void"]) == (
        90, "non-billable:training", None, None)
    number = int(entry["id"][1:])
    listed = api("GET", "/hours-entries?technician_id=T-100&start=2026-03-02&end=2026-03-08").get_json()
    assert [e["id"] for e in listed["entries"]] == [entry["id"]]
    sheet = api("GET", "/timesheets?technician_id=T-100&start=2026-03-03&end=2026-03-03").get_json()
    (tuesday,) = [d for d in sheet["timesheets"][0]["days"] if d["date"] == "2026-03-03"]
    assert tuesday["hours_only"] == [{"id": entry["id"], "work_order": "non-billable:training", "hours": "1.5000"}]
    assert api("POST", f"/hours-entries/{number}/void", "sue", json={"reason": "x"}).status_code == 404
    assert api("POST", f"/hours-entries/{number}/void", json={"reason": " "}).get_json()["field"] == "reason"
    voided = api("POST", f"/hours-entries/{number}/void", json={"reason": "entered on the wrong day"})
    assert voided.status_code == 200 and voided.get_json()["void"]["reason"] == "entered on the wrong day"
    assert api("POST", f"/hours-entries/{number}/void", json={"reason": "again"}).get_json()["field"] == "entry"
    assert len(stored(seeded[0], HoursEntryVoid)) == 1
