"""Punches from the technician's phone (issue 19): POST /api/v1/punches with the
technician's own token, on SQLite and PostgreSQL. Maria (T-100) clocked in at 07:00 at
North Depot (150 m around 41.88, -87.68); it is 14:00."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from hub.store.engine import make_engine
from hub.store.models import DeadLetter, Depot, Punch, RosterRequest
from hub.web import db
from tests.integration.web.company import NOW, PASSWORD, stored
from tests.integration.web.conftest import make_app
from tests.integration.web.test_api import api  # noqa: F401  (the fixture)

AT_DEPOT = {"lat": 41.8805, "lon": -87.6801, "accuracy_m": 12}


def test_a_phone_break_is_taken_once_however_often_it_is_sent(api, seeded):  # noqa: F811
    body = {"technician_id": "T-100", "action": "break_start", "break_kind": "meal",
            "at": (NOW - timedelta(minutes=3)).isoformat(), "request_id": "phone-1", **AT_DEPOT}
    first = api("POST", "/punches", "maria", json=body)
    assert first.status_code == 201, first.get_json()
    assert first.get_json() | {"id": "…", "at": "…"} == {
        "id": "…", "technician_id": "T-100", "action": "break_start", "break_kind": "meal", "at": "…",
        "source": "phone", "flags": [], "request_id": "phone-1", **AT_DEPOT}
    again = api("POST", "/punches", "maria", json=body)  # the offline queue sent it twice
    assert (again.status_code, again.get_json()["id"]) == (200, first.get_json()["id"])

    other = api("POST", "/punches", "maria", json={**body, "action": "clock_out", "break_kind": None})
    assert (other.status_code, other.get_json()["field"]) == (409, "request_id")
    (letter,) = stored(seeded[0], DeadLetter)
    assert (letter.topic, letter.kind) == ("api/v1/punches", "punch") and b'"clock_out"' in letter.payload

    phone = [p for p in stored(seeded[0], Punch) if p.source == "phone"]
    assert len(phone) == 1 and phone[0].kiosk_id is None and phone[0].badge_id is None
    assert [r.technician_id for r in stored(seeded[0], RosterRequest)] == ["T-100"]  # the kiosks hear of it


def test_bad_punches_are_refused_naming_the_field(api):  # noqa: F811
    def refused(username: str = "maria", **fields):
        body = {"technician_id": "T-100", "action": "clock_out", **fields}
        response = api("POST", "/punches", username, json=body)
        return response.status_code, response.get_json().get("field"), response.get_json()["message"]

    assert refused(lat=200, lon=0)[:2] == (422, "lat")
    assert refused(lat=41.88)[:2] == (422, "lon")
    assert refused(accuracy_m=-1)[:2] == (422, "accuracy_m")
    status, field, message = refused(at=(NOW + timedelta(days=2)).isoformat())
    assert (status, field) == (422, "at") and "ahead of the hub's clock" in message
    assert refused(at=(NOW - timedelta(days=30)).isoformat())[:2] == (422, "at")
    assert refused(action="clock_in") == (422, "action", "at work: you can start a break or clock out")
    assert refused(technician_id="T-101")[0] == 404  # another technician's: not Maria's to see
    assert refused(request_id="x" * 65)[:2] == (422, "request_id")


def test_refused_outside_the_fences_where_the_depot_says_so_and_flagged_without_a_position(api, seeded):  # noqa: F811
    engine = make_engine(seeded[0])
    with engine.begin() as connection:
        connection.execute(update(Depot).where(Depot.id == "north").values(location_policy="refuse_outside"))
    engine.dispose()
    away = api("POST", "/punches", "maria", json={"technician_id": "T-100", "action": "clock_out",
                                                  "lat": 41.95, "lon": -87.9, "accuracy_m": 20})
    assert away.status_code == 422 and away.get_json()["field"] == "position"
    assert "clock in at: North Depot, South Depot" in away.get_json()["message"]
    blind = api("POST", "/punches", "maria", json={"technician_id": "T-100", "action": "clock_out"})
    assert blind.status_code == 201 and blind.get_json()["flags"] == ["no_position"]
    # a supervisor's punch for her is marked so, and no phone's position is asked of it
    back = api("POST", "/punches", "sam", json={"technician_id": "T-100", "action": "clock_in"})
    assert back.status_code == 201 and (back.get_json()["source"], back.get_json()["flags"]) == ("supervisor", [])


def test_the_phone_page_sends_a_punch_kept_offline_with_its_cookie_and_csrf_token(seeded):
    """/me/punches.json: the API's body, the login's cookie, the CSRF token in a header. A
    break made 40 minutes ago on a phone whose clock is 7 minutes fast: flagged, not refused."""
    app = make_app(seeded[0], WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").text)[1]
    client.post("/login", data={"username": "maria", "password": PASSWORD, "csrf_token": token})
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/me/").text)[1]
    body = {"technician_id": "T-100", "action": "break_start", "break_kind": "meal", "request_id": "offline-1",
            "at": (NOW - timedelta(minutes=40)).isoformat(), "sent_at": (NOW + timedelta(minutes=7)).isoformat(),
            **AT_DEPOT}

    assert client.post("/me/punches.json", json=body).status_code == 400  # no CSRF token: refused
    first = client.post("/me/punches.json", json=body, headers={"X-CSRFToken": token})
    assert first.status_code == 201 and first.get_json()["flags"] == ["sent_late", "phone_clock"]
    again = client.post("/me/punches.json", json={**body, "sent_at": NOW.isoformat()}, headers={"X-CSRFToken": token})
    assert (again.status_code, again.get_json()["id"]) == (200, first.get_json()["id"])  # a retry: the same punch

    james = client.post("/me/punches.json", json={**body, "technician_id": "T-101", "request_id": "offline-2"},
                        headers={"X-CSRFToken": token})  # kept while James was logged in on this phone
    assert (james.status_code, james.get_json()["field"]) == (422, "technician_id")
    bad = client.post("/me/punches.json", json={**body, "lat": 200, "request_id": "offline-3"},
                      headers={"X-CSRFToken": token})
    assert (bad.status_code, bad.get_json()["field"]) == (422, "lat")
    assert "Meal break" in client.get("/me/").text  # what was said of it waits for the page (flashed)
    assert len([p for p in stored(seeded[0], Punch) if p.request_id == "offline-1"]) == 1
    db.dispose(app)


def test_the_service_worker_is_served_for_the_technicians_pages(client):
    response = client.get("/me/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    manifest = client.get("/static/manifest.webmanifest").get_json(force=True)
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/me/", "/me/", "standalone")
    assert {client.get(f"/static/{icon['src']}").status_code for icon in manifest["icons"]} == {200}
