"""Schemathesis over /api/v1/openapi.json (issue 22): generated requests, valid and not,
against the Flask app on SQLite; every response must be documented (status, content type,
body schema), no server error, schema-valid requests not refused for their form and
schema-violating ones refused (a schema-valid request may still break a rule between
fields or against the records: 422, but never for a field's own constraint). Bounded and derandomized, so it is quick and repeatable."""

from __future__ import annotations

import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from hub.web import db
from tests.integration.web.conftest import make_app
from tests.integration.web.test_api import _token, api  # noqa: F401  (the fixture)

EXAMPLES = 150  # over all operations


@pytest.fixture
def sqlite_app(tmp_path, sqlite_template):
    import shutil

    from tests.integration.web.company import seed

    path = tmp_path / "hub.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    seed(url)
    app = make_app(url)
    app.config["API_TOKEN"] = _token(url, "ada")
    yield app
    db.dispose(app)


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode))
def test_the_api_keeps_to_its_openapi_document(sqlite_app, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", sqlite_app)
    schema.config.generation.update(with_security_parameters=False)  # the token is added to each case
    accepted = schema.config.checks.positive_data_acceptance
    accepted.expected_statuses = [*accepted.expected_statuses, "422"]  # a rule the schema cannot say; see below
    headers = {"Authorization": f"Bearer {sqlite_app.config['API_TOKEN']}"}

    @given(case=schema.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def keeps_to_it(case):
        response = case.call_and_validate(headers=headers)
        if mode is schemathesis.GenerationMode.POSITIVE and response.status_code == 422:
            # Valid in form, refused by a rule between fields or against the records (end
            # before start, no such depot, a check-in overlapping another): never by a
            # field's own constraint, which the document states.
            assert "errors" not in response.json(), response.json()

    keeps_to_it()


def test_successful_answers_match_the_documented_schemas(api):  # noqa: F811
    """Generated requests rarely name a real technician; these do, so each 2xx body is checked."""
    document = api("GET", "/openapi.json").get_json()

    def check(method: str, path: str, status: int, schema: str, **kwargs) -> dict:
        response = api(method, path, **kwargs)
        assert response.status_code == status, response.get_json()
        jsonschema.validate(response.get_json(), {"$ref": f"#/components/schemas/{schema}",
                                                  "components": document["components"]})
        return response.get_json()

    check("GET", "/timesheets?start=2026-03-02&end=2026-03-08", 200, "Timesheets")
    check("GET", "/events?technician_id=T-100&start=2026-03-02&end=2026-03-08", 200, "Events")
    check("PUT", "/work-orders/WO-70", 201, "WorkOrder", json={"customer": "Acme", "title": "Boiler",
                                                               "depot_id": "north", "assigned": ["T-100"]})
    check("GET", "/work-orders/WO-70", 200, "WorkOrder")
    check("GET", "/work-orders?status=open", 200, "WorkOrders")
    visit = check("POST", "/check-ins", 201, "Visit", json={"technician_id": "T-100", "work_order_id": "WO-70",
                                                            "at": "2026-03-04T13:00:00-06:00"})
    check("POST", f"/check-ins/{visit['id']}/check-out", 200, "Visit",
          json={"next_status": "resolved", "at": "2026-03-04T13:45:00-06:00"})
    check("GET", "/check-ins?technician_id=T-100&start=2026-03-04&end=2026-03-04", 200, "Visits")
    check("GET", "/vehicles/van-12/legs?from=2026-03-02&to=2026-03-04", 200, "VehicleLegs")
    check("POST", "/corrections", 201, "Correction", json={
        "technician_id": "T-100", "kind": "add_punch", "action": "clock_out", "at": "2026-03-03T16:00:00-06:00",
        "reason": "forgot to badge"})
    check("GET", "/corrections?technician_id=T-100", 200, "Corrections")
    check("POST", "/approvals", 201, "Approval", username="maria",  # a running week is submitted, not approved
          json={"technician_id": "T-100", "week": "2026-03-04", "decision": "submit"})
    check("GET", "/approvals?technician_id=T-100&week=2026-03-02", 200, "ApprovalState")
