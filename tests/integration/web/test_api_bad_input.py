"""Hostile input to the API is a 4xx JSON problem naming the field, never a 500 (issue 22):
NUL in query values and path ids, a 20-digit id, JSON nested past the parser's recursion
limit, a huge field, an unknown depot, a body over the size limit. On SQLite and PostgreSQL;
the CSV import of work orders likewise answers a huge or broken cell with a message."""

from __future__ import annotations

import io

import pytest

from hub.store.models import WorkOrder
from tests.integration.web.company import stored
from tests.integration.web.test_api import api  # noqa: F401  (the fixture)

QUERIES = [
    ("/timesheets?technician_id=%00", "technician_id"), ("/events?technician_id=%00", "technician_id"),
    ("/corrections?technician_id=%00", "technician_id"), ("/check-ins?technician_id=T-100%00", "technician_id"),
    ("/approvals?technician_id=T-100&week=2026-03-02%00", "week"), ("/work-orders?status=%00", "status"),
    ("/work-orders/%00", "work_order_id"), ("/work-orders/" + "W" * 65, "work_order_id"),
    ("/timesheets?technician_id=" + "T" * 201, "technician_id"), ("/events?technician_id=T-100&start=0001-01-01", "start"),
    ("/timesheets?end=9999-12-31", "end"),
]


@pytest.mark.parametrize("path, field", QUERIES)
def test_a_hostile_query_value_or_path_id_names_the_field(api, path, field):  # noqa: F811
    response = api("GET", path)
    assert response.status_code == 422 and response.is_json, response.data[:300]
    assert response.get_json()["field"] == field


def test_a_twenty_digit_id_in_a_path_is_not_found(api):  # noqa: F811
    response = api("POST", "/check-ins/99999999999999999999/check-out", json={"next_status": "resolved"})
    assert response.status_code == 404 and response.get_json()["field"] == "visit_id"


@pytest.mark.parametrize("depth", [100, 5_000, 100_000])
def test_json_nested_past_the_recursion_limit_is_refused(api, depth):  # noqa: F811
    deep = '{"customer": "A", "title": "B", "depot_id": "north", "extra": ' + "[" * depth + "]" * depth + "}"
    response = api("PUT", "/work-orders/WO-60", data=deep, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["field"] == "body"


@pytest.mark.parametrize("body, field", [
    ({"customer": "A" * 100_000, "title": "B", "depot_id": "north"}, "customer"),
    ({"customer": "A", "title": "B", "depot_id": "nowhere"}, "depot_id"),
    ({"customer": "A", "title": "B", "depot_id": "x" * 65}, "depot_id"),
    ({"customer": "Acme\u0000", "title": "B", "depot_id": "north"}, "customer"),
    ({"customer": "A", "title": "B", "depot_id": "north", "assigned": ["T-100\u0000"]}, "assigned.0"),
])
def test_a_work_order_with_a_huge_field_or_an_unknown_depot_names_the_field(api, seeded, body, field):  # noqa: F811
    response = api("PUT", "/work-orders/WO-61", json=body, username="ada")
    assert response.status_code == 422 and response.get_json()["field"] == field, response.get_json()
    assert "WO-61" not in {w.id for w in stored(seeded[0], WorkOrder)}


def test_nul_and_far_dates_in_a_body_name_the_field(api):  # noqa: F811
    cases = [
        ("/check-ins", {"technician_id": "T-100\u0000", "work_order_id": "WO-7"}, "technician_id"),
        ("/check-ins", {"technician_id": "T-100", "work_order_id": "WO-7", "at": "0001-01-01T00:00:00Z"}, "at"),
        ("/approvals", {"technician_id": "T-100", "week": "9999-12-31", "decision": "approve"}, "week"),
        ("/corrections", {"technician_id": "T-100", "kind": "add_punch", "reason": "x\u0000"}, "reason"),
    ]
    for path, body, field in cases:
        response = api("POST", path, json=body)
        assert response.status_code == 422 and response.get_json()["field"] == field, (body, response.get_json())


def test_a_body_over_the_limit_or_not_json_is_a_json_problem(api):  # noqa: F811
    response = api("PUT", "/work-orders/WO-62", data=b"{" + b" " * (6 * 1024 * 1024) + b"}",
                   content_type="application/json")
    assert response.status_code == 413 and response.get_json()["error"] == "request_entity_too_large"
    response = api("POST", "/check-ins", data="not json", content_type="text/plain")
    assert response.status_code == 415 and response.get_json()["field"] == "body"
    response = api("POST", "/check-ins", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["field"] == "body"


@pytest.mark.parametrize("cell, message", [
    ("C" * 200_000, b"field larger than field limit"), ("C" * 201, b"customer is longer than 200 characters"),
    ("Acme\x00", b"customer holds a control character"),
])
def test_a_work_order_import_with_a_huge_or_broken_cell_names_it(client, auth, seeded, cell, message):
    auth.login("ada")
    data = f"id,customer,title,depot_id\nWO-40,{cell},Boiler,north\n".encode()
    response = client.post("/admin/work-orders/import", data={"file": (io.BytesIO(data), "wo.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and message in response.data and b'data-field="file"' in response.data
    assert "WO-40" not in {w.id for w in stored(seeded[0], WorkOrder)}
