"""Check-ins, check-outs and timers a phone kept offline (issue 19), taken as its punches
are: each with its own `at`, a client `request_id` and the phone's clock when sent, on
SQLite and PostgreSQL. Maria (T-100), at work since 07:00, has WO-7 and WO-8; it is 14:00."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from hub.store.models import DeadLetter, WorkOrderVisit
from hub.web import db
from tests.integration.web.company import NOW, PASSWORD, stored
from tests.integration.web.conftest import make_app
from tests.integration.web.test_api import api  # noqa: F401  (the fixture)

MADE = (NOW - timedelta(minutes=40)).isoformat()  # kept offline for 40 minutes
FAST = (NOW + timedelta(minutes=7)).isoformat()  # the phone's clock, 7 minutes fast


def _visits(url: str) -> list[WorkOrderVisit]:
    return sorted(stored(url, WorkOrderVisit), key=lambda v: v.id)


def test_a_check_in_and_out_sent_twice_are_one_visit_and_another_body_is_refused(api, seeded):  # noqa: F811
    url = seeded[0]
    before = len(_visits(url))
    check_in = {"technician_id": "T-100", "work_order_id": "WO-7", "at": MADE, "request_id": "in-1", "sent_at": FAST}
    first = api("POST", "/check-ins", "maria", json=check_in)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["flags"] == ["sent_late", "phone_clock"]  # flagged, not refused
    again = api("POST", "/check-ins", "maria", json={**check_in, "sent_at": NOW.isoformat()})  # a retry
    assert (again.status_code, again.get_json()["id"]) == (200, first.get_json()["id"])
    other = api("POST", "/check-ins", "maria", json={**check_in, "work_order_id": "WO-8"})
    assert (other.status_code, other.get_json()["error"], other.get_json()["field"]) == (409, "conflict", "request_id")

    check_out = {"technician_id": "T-100", "next_status": "waiting_on_client", "note": "part on order",
                 "at": (NOW - timedelta(minutes=10)).isoformat(), "request_id": "out-1"}
    out = api("POST", "/check-outs", "maria", json=check_out)
    assert out.status_code == 201 and out.get_json()["id"] == first.get_json()["id"]
    assert api("POST", "/check-outs", "maria", json=check_out).status_code == 200  # sent again: the same
    refused = api("POST", "/check-outs", "maria", json={**check_out, "next_status": "resolved"})
    assert (refused.status_code, refused.get_json()["field"]) == (409, "request_id")

    visits = _visits(url)
    assert len(visits) == before + 1
    visit = visits[-1]
    assert (visit.request_id, visit.check_out_request_id, visit.next_status) == ("in-1", "out-1", "waiting_on_client")
    assert visit.check_in_at == NOW - timedelta(minutes=40) and visit.check_out_at == NOW - timedelta(minutes=10)
    letters = sorted(stored(url, DeadLetter), key=lambda d: d.id)
    assert [(d.topic, d.kind) for d in letters] == [("api/v1/check-ins", "check-in"), ("api/v1/check-ins", "check-out")]
    assert b'"WO-8"' in letters[0].payload and b'"resolved"' in letters[1].payload


def test_a_timer_started_and_stopped_twice_is_one_timer(api, seeded):  # noqa: F811
    url = seeded[0]
    start = {"technician_id": "T-100", "action": "start", "target": "category:non-billable:shop", "at": MADE,
             "request_id": "timer-1"}
    first = api("POST", "/timers", "maria", json=start)
    assert first.status_code == 201 and first.get_json()["category_id"] == "non-billable:shop"
    assert api("POST", "/timers", "maria", json=start).get_json()["id"] == first.get_json()["id"]
    switched = api("POST", "/timers", "maria", json={**start, "target": "work_order:WO-7"})
    assert (switched.status_code, switched.get_json()["field"]) == (409, "request_id")  # the same id, another timer
    stop = {"technician_id": "T-100", "action": "stop", "request_id": "timer-2"}
    stopped = api("POST", "/timers", "maria", json=stop)
    assert stopped.status_code == 201 and stopped.get_json()["check_out_at"] is not None
    assert api("POST", "/timers", "maria", json=stop).status_code == 200
    timed = [v for v in _visits(url) if v.source == "timer"]
    assert [(v.category_id, v.request_id, v.check_out_request_id) for v in timed] == [
        ("non-billable:shop", "timer-1", "timer-2")]
    assert [d.kind for d in stored(url, DeadLetter)] == ["timer start"]
    # a supervisor does not run a technician's timers
    assert api("POST", "/timers", "sam", json={**start, "request_id": "timer-3"}).status_code == 403


@pytest.mark.parametrize(("path", "fields", "field"), [
    ("/check-ins", {"request_id": "x" * 65}, "request_id"),
    ("/check-ins", {"request_id": ""}, "request_id"),
    ("/check-ins", {"request_id": "a\u0000b"}, "request_id"),
    ("/check-ins", {"at": (NOW + timedelta(days=2)).isoformat()}, "at"),
    ("/check-ins", {"at": (NOW - timedelta(days=30)).isoformat()}, "at"),
    ("/check-ins", {"at": "yesterday"}, "at"),
    ("/check-ins", {"sent_at": "2026-03-04T14:00:00"}, "sent_at"),  # no zone
    ("/check-ins", {"work_order_id": "W" * 65}, "work_order_id"),
    ("/check-ins", {"made_on": "phone"}, "made_on"),
    ("/check-outs", {"next_status": "done"}, "next_status"),
    ("/check-outs", {"note": "x" * 2001}, "note"),
    ("/check-outs", {}, "visit"),  # not checked in
    ("/timers", {"action": "pause"}, "action"),
    ("/timers", {"target": "category:" + "x" * 80}, "target"),
    ("/timers", {"target": "work_order:WO-404"}, "target"),
    ("/timers", {"action": "stop"}, "target"),  # no timer running
])
def test_garbage_is_refused_naming_the_field(api, path, fields, field):  # noqa: F811
    base = {"/check-ins": {"technician_id": "T-100", "work_order_id": "WO-7"},
            "/check-outs": {"technician_id": "T-100", "next_status": "resolved"},
            "/timers": {"technician_id": "T-100", "action": "start", "target": "work_order:WO-7"}}[path]
    response = api("POST", path, "maria", json={**base, **fields})
    assert response.status_code == 422 and response.get_json()["field"] == field, response.get_json()


def test_the_phone_page_sends_check_ins_and_timers_kept_offline_with_its_csrf_token(seeded):
    """/me/check-ins.json, /me/check-outs.json, /me/timers.json: the API's bodies with the
    login's cookie and the CSRF token in a header; what the hub made of each is flashed."""
    app = make_app(seeded[0], WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").text)[1]
    client.post("/login", data={"username": "maria", "password": PASSWORD, "csrf_token": token})
    headers = {"X-CSRFToken": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/me/").text)[1]}
    check_in = {"technician_id": "T-100", "work_order_id": "WO-8", "at": MADE, "request_id": "page-1"}

    assert client.post("/me/check-ins.json", json=check_in).status_code == 400  # no CSRF token
    assert client.post("/me/check-ins.json", json=check_in, headers=headers).status_code == 201
    assert client.post("/me/check-ins.json", json=check_in, headers=headers).status_code == 200
    james = client.post("/me/check-ins.json", json={**check_in, "technician_id": "T-101", "request_id": "page-2"},
                        headers=headers)
    assert (james.status_code, james.get_json()["field"]) == (422, "technician_id")
    out = client.post("/me/check-outs.json", headers=headers, json={
        "technician_id": "T-100", "next_status": "resolved", "request_id": "page-3"})
    assert out.status_code == 201
    timer = client.post("/me/timers.json", headers=headers, json={
        "technician_id": "T-100", "action": "start", "target": "work_order:WO-7", "request_id": "page-4"})
    assert timer.status_code == 201 and timer.get_json()["source"] == "timer"
    page = client.get("/me/").text
    assert "Checked in to WO-8" in page and "Checked out of WO-8: resolved." in page and "Timer started on WO-7" in page
    db.dispose(app)
