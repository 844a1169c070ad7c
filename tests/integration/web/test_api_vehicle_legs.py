"""Issue 20 #6: `GET /api/v1/vehicles/{id}/legs?from=&to=`, a van's legs with their
instants in UTC and on the depot's clock, distance, source, and how the driver and the
work order were decided; bounded query strings refused naming the field; scoped by role."""

from __future__ import annotations

import pytest

from tests.integration.web.test_api import api  # noqa: F401  (the fixture)

WEEK = "/vehicles/van-12/legs?from=2026-03-02&to=2026-03-08"


def test_a_vans_legs_say_when_how_far_and_how_each_was_attributed(api):  # noqa: F811
    response = api("GET", WEEK)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["vehicle_id"], body["depot_id"], body["timezone"], body["from"], body["to"]) == (
        "van-12", "north", "America/Chicago", "2026-03-02", "2026-03-08")
    monday, tuesday = body["legs"]
    assert monday == {
        "id": monday["id"], "start_at": "2026-03-02T13:20:00Z", "end_at": "2026-03-02T14:00:00Z",
        "start_local": "2026-03-02T07:20:00-06:00", "end_local": "2026-03-02T08:00:00-06:00",
        "distance_km": 14.0, "source": "ignition", "origin": "depot", "destination": "site",
        "driver": {"technician_id": "T-100", "decided_by": "assignment"},
        "work_order": {"id": "WO-7", "decided_by": "check_in"}}
    assert tuesday["work_order"] == {"id": None, "decided_by": "none"}

    fixed = api("POST", "/corrections", json={"technician_id": "T-100", "kind": "attach_leg",
                                              "replaces": f"leg-{tuesday['id']}", "work_order": "WO-8",
                                              "reason": "the drive was to Pilsen"})
    assert fixed.status_code == 201, fixed.get_json()
    legs = api("GET", WEEK).get_json()["legs"]
    assert legs[1]["work_order"] == {"id": "WO-8", "decided_by": "supervisor_correction"}
    assert api("GET", "/vehicles/van-12/legs?from=2026-03-03&to=2026-03-03").get_json()["legs"] == legs[1:]


BAD_QUERIES = {  # query string -> the field named
    "": "from", "?from=2026-03-02": "to", "?to=2026-03-02": "from",
    "?from=2026-02-30&to=2026-03-02": "from", "?from=yesterday&to=2026-03-02": "from",
    "?from=1999-12-31&to=2000-01-01": "from", "?from=2026-03-02&to=2026-03-01": "to",
    "?from=2026-03-01&to=2026-04-01": "to",  # 32 days: at most 31 at once
    "?from=2026-03-02&to=2026-03-02&depot=north": "depot", "?from=2026-03-02&to=2026-03-02%00": "to",
    f"?from={'2' * 300}&to=2026-03-02": "from",
}
WHO_SEES = [("sam", "van-12", 200), ("pat", "van-12", 200), ("ada", "van-12", 200), ("sue", "van-12", 404),
            ("maria", "van-12", 403), ("ada", "van-99", 404), ("ada", "v" * 65, 422), ("ada", "van%00", 422)]


@pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)  # the checks, not the store
def test_bad_query_strings_are_json_errors_naming_the_field_and_roles_decide_who_sees(api):  # noqa: F811
    for query, field in BAD_QUERIES.items():
        response = api("GET", f"/vehicles/van-12/legs{query}")
        assert response.status_code == 422 and response.get_json()["field"] == field, (query, response.get_json())
    assert api("GET", "/vehicles/van-12/legs?from=2026-03-01&to=2026-03-31").status_code == 200  # 31 days
    for username, van, status in WHO_SEES:
        response = api("GET", f"/vehicles/{van}/legs?from=2026-03-01&to=2026-03-31", username)
        assert response.status_code == status, (username, van, response.get_json())
