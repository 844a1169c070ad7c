"""The JSON API: token-authenticated (hashed tokens), scoped like the pages, bad input a
4xx JSON error naming the field, and its OpenAPI document valid."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from openapi_spec_validator import validate
from sqlalchemy import select

from hub.services.accounts import create_token
from hub.store.engine import make_engine, session_factory
from hub.store.models import ApiToken, LegRebuildRequest, User
from tests.integration.web.company import NOW, stored


def _token(url: str, username: str) -> str:
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        user = session.scalar(select(User).where(User.username == username))
        _, token = create_token(session, user, "test", NOW)
    engine.dispose()
    return token


@pytest.fixture
def api(client, seeded):
    tokens = {}

    def call(method: str, path: str, username: str = "sam", **kwargs):
        if username not in tokens:
            tokens[username] = _token(seeded[0], username)
        headers = {"Authorization": f"Bearer {tokens[username]}"}
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)
    return call


def test_the_openapi_document_is_valid_and_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    assert {"/timesheets", "/events", "/work-orders/{work_order_id}", "/check-ins", "/corrections",
            "/approvals"} <= set(document["paths"])


def test_no_token_or_a_wrong_one_is_401_json(client):
    assert client.get("/api/v1/timesheets").status_code == 401
    response = client.get("/api/v1/timesheets", headers={"Authorization": "Bearer dct_nope"})
    assert response.status_code == 401 and response.get_json()["error"] == "unauthorized"


def test_tokens_are_stored_hashed(seeded):
    token = _token(seeded[0], "sam")
    engine = make_engine(seeded[0])
    with session_factory(engine)() as session:
        (row,) = session.scalars(select(ApiToken))
    engine.dispose()
    assert token not in row.token_hash and len(row.token_hash) == 64


def test_timesheets_and_events(api, known):
    response = api("GET", "/timesheets?start=2026-03-02&end=2026-03-02")
    sheets = {s["technician_id"]: s for s in response.get_json()["timesheets"]}
    assert set(sheets) == {"T-100", "T-101"}  # sam's depot only
    (monday,) = sheets["T-100"]["days"]
    assert monday["worked_hours"] == "8.5000" and monday["on_site_hours"] == {"WO-7": "3.5000"}
    events = api("GET", "/events?technician_id=T-100&start=2026-03-02&end=2026-03-02").get_json()["events"]
    assert known["monday_out"] in {e["id"] for e in events}


def test_a_psa_pushes_a_work_order_then_a_check_in_and_out(api, seeded):
    created = api("PUT", "/work-orders/WO-55", json={"customer": "Acme", "title": "Boiler", "depot_id": "north",
                                                     "assigned": ["T-100"]})
    assert created.status_code == 201 and created.get_json()["assigned"] == ["T-100"]
    assert api("PUT", "/work-orders/WO-55", json={"customer": "Acme", "title": "Boiler v2",
                                                  "depot_id": "north"}).status_code == 200
    check_in = api("POST", "/check-ins", json={"technician_id": "T-100", "work_order_id": "WO-55",
                                               "at": "2026-03-04T13:00:00-06:00", "request_id": "psa-1"})
    assert check_in.status_code == 201
    again = api("POST", "/check-ins", json={"technician_id": "T-100", "work_order_id": "WO-55",
                                            "at": "2026-03-04T13:00:00-06:00", "request_id": "psa-1"})
    assert (again.status_code, again.get_json()["id"]) == (200, check_in.get_json()["id"])  # a retry: the same visit
    out = api("POST", f"/check-ins/{check_in.get_json()['id']}/check-out",
              json={"next_status": "resolved", "note": "replaced the igniter", "at": "2026-03-04T13:45:00-06:00"})
    assert out.status_code == 200 and out.get_json()["next_status"] == "resolved"
    assert api("GET", "/work-orders/WO-55").get_json()["status"] == "resolved"


def test_a_work_orders_quickbooks_job_is_set_by_the_api_and_kept_when_omitted(api):
    body = {"customer": "Acme, Inc.", "title": "Boiler", "depot_id": "north"}
    assert api("PUT", "/work-orders/WO-58", json={**body, "quickbooks_job": "Acme, Inc.:WO-58"}).status_code == 201
    assert api("PUT", "/work-orders/WO-58", json={**body, "title": "Boiler v2"}).status_code == 200
    assert api("GET", "/work-orders/WO-58").get_json()["quickbooks_job"] == "Acme, Inc.:WO-58"


def test_bad_input_names_the_field(api, client):
    cases = [
        ("PUT", "/work-orders/WO-56", {"customer": "A", "title": "B", "depot_id": "north", "lat": 123}, "lat"),
        ("PUT", "/work-orders/WO-56", {"customer": "A", "title": "B"}, "depot_id"),
        ("PUT", "/work-orders/WO-56", {"customer": "A", "title": "B", "depot_id": "south"}, "depot_id"),
        # issue 17 #7 (CWE-1236): names a spreadsheet would run as formulas are refused at entry
        ("PUT", "/work-orders/WO-56", {"customer": "=1+2", "title": "B", "depot_id": "north"}, "customer"),
        ("PUT", "/work-orders/WO-56", {"customer": "A", "title": "B", "depot_id": "north",
                                       "quickbooks_job": "@A:1"}, "quickbooks_job"),
        ("POST", "/check-ins", {"technician_id": "T-100", "work_order_id": "WO-7", "at": "2026-03-04T13:00:00"}, "at"),
        ("POST", "/check-ins", {"technician_id": "T-100", "work_order_id": "WO-404"}, "work_order"),
        ("POST", "/corrections", {"technician_id": "T-100", "kind": "add_punch", "reason": "x"}, "action"),
        ("POST", "/corrections", {"technician_id": "T-100", "kind": "add_punch", "reason": "",
                                  "action": "clock_out", "at": "2026-03-03T16:00:00-06:00"}, "reason"),
        ("POST", "/approvals", {"technician_id": "T-100", "week": "someday", "decision": "approve"}, "week"),
    ]
    for method, path, body, field in cases:
        response = api(method, path, json=body)
        assert response.status_code == 422, (path, body, response.get_json())
        assert response.get_json()["field"] == field, (path, body, response.get_json())
    response = api("GET", "/timesheets?start=2026-13-01")
    assert response.status_code == 422 and response.get_json()["field"] == "start"
    response = api("POST", "/check-ins", data="not json", content_type="text/plain")
    assert response.status_code == 415 and response.get_json()["field"] == "body"


def test_corrections_and_approvals_lock_the_week(api, app):
    made = api("POST", "/corrections", json={"technician_id": "T-100", "kind": "add_punch", "action": "clock_out",
                                             "at": "2026-03-03T16:00:00-06:00", "reason": "forgot to badge"})
    assert made.status_code == 201 and made.get_json()["id"].startswith("c")
    assert [c["kind"] for c in api("GET", "/corrections?technician_id=T-100").get_json()["corrections"]] == ["add_punch"]
    week = {"technician_id": "T-100", "week": "2026-03-04"}
    assert api("POST", "/approvals", username="maria", json={**week, "decision": "submit"}).status_code == 201
    running = api("POST", "/approvals", json={**week, "decision": "approve"})
    assert running.status_code == 422 and "still running" in running.get_json()["message"]
    app.config["CLOCK"] = lambda: NOW + timedelta(days=5)  # Monday after
    asked = api("POST", "/approvals", json={**week, "decision": "approve"})
    assert asked.status_code == 422 and asked.get_json()["field"] == "confirm"  # open exceptions
    approved = api("POST", "/approvals", json={**week, "decision": "approve", "confirm": True})
    assert approved.status_code == 201
    state = api("GET", "/approvals?technician_id=T-100&week=2026-03-02").get_json()
    assert state["final"] and state["status"] == "approved"
    locked = api("POST", "/corrections", json={"technician_id": "T-100", "kind": "add_punch", "action": "clock_in",
                                               "at": "2026-03-03T06:00:00-06:00", "reason": "x"})
    assert locked.status_code == 409 and locked.get_json()["error"] == "locked"
    voided = api("POST", "/approvals", username="pat",
                 json={"technician_id": "T-100", "week": "2026-03-02", "decision": "void", "reason": "reopen"})
    assert voided.status_code == 201


def test_the_api_is_scoped_like_the_pages(api):
    assert api("GET", "/events?technician_id=T-200", username="sam").status_code == 404
    assert api("GET", "/events?technician_id=T-101", username="maria").status_code == 404
    assert api("POST", "/corrections", username="maria", json={  # her own record (own corrections): no punch x
        "technician_id": "T-100", "kind": "void_punch", "replaces": "x", "reason": "x"}).status_code == 422
    assert api("POST", "/corrections", username="maria", json={
        "technician_id": "T-101", "kind": "void_punch", "replaces": "x", "reason": "x"}).status_code == 404
    assert api("PUT", "/work-orders/WO-9", username="maria",
               json={"customer": "A", "title": "B", "depot_id": "north"}).status_code == 403
    work_orders = api("GET", "/work-orders", username="sue").get_json()["work_orders"]
    assert [w["id"] for w in work_orders] == ["WO-90"]


def test_create_token_from_the_command_line(seeded, tmp_path, client):
    from depotclock.cli import main

    config = tmp_path / "hub.toml"
    config.write_text(f'database_url = "{seeded[0]}"\nmqtt_url = "mqtt://hub:x@127.0.0.1:1883"\n')
    result = CliRunner().invoke(main, ["hub", "--config", str(config), "create-token", "sam", "--name", "psa"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert client.get("/api/v1/work-orders", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    result = CliRunner().invoke(main, ["hub", "--config", str(config), "create-token", "nobody"])
    assert result.exit_code != 0 and "no user nobody" in result.output


def test_a_check_in_and_a_site_placed_or_moved_ask_the_ingest_to_attribute_legs_again(api, seeded):
    site = {"customer": "Acme", "title": "Boiler", "depot_id": "north", "lat": 41.9, "lon": -87.6}
    assert api("PUT", "/work-orders/WO-57", json=site).status_code == 201
    assert api("PUT", "/work-orders/WO-57", json={**site, "title": "Boiler v2"}).status_code == 200  # same site
    assert api("PUT", "/work-orders/WO-57", json={**site, "radius_m": 250}).status_code == 200
    assert api("POST", "/check-ins", json={"technician_id": "T-100", "work_order_id": "WO-57",
                                           "at": "2026-03-04T13:00:00-06:00"}).status_code == 201
    requests = [(r.reason, r.vehicle_id, r.technician_id, r.work_order_id, r.since, r.until)
                for r in sorted(stored(seeded[0], LegRebuildRequest), key=lambda r: r.id)]
    at = datetime(2026, 3, 4, 19, 0, tzinfo=timezone.utc)
    assert requests == [("geofence", None, None, "WO-57", None, None)] * 2 + [
        ("check_in", None, "T-100", None, at, at)]
