"""The API's OpenAPI 3.1 document: paths written out here, request bodies generated from
the pydantic models that validate them (so the two cannot drift), response bodies from
`api_responses`; the schemathesis run in the suite holds the API to it."""

from __future__ import annotations

import re
from functools import cache

from pydantic.json_schema import models_json_schema

from hub.services.timesheet_document import schema as timesheet_schema
from hub.web.api_input import MAX_PATH_ID_CHARS, MAX_QUERY_CHARS, MAX_ROW_ID
from hub.web.api_responses import SCHEMAS
from hub.web.api_schemas import BODIES, ID_PATTERN, YEARS

REF = "#/components/schemas/{model}"


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict:
    return {"$ref": REF.format(model=name)}


ERROR = {"type": "object", "required": ["error", "message"], "properties": {
    "error": {"type": "string"}, "message": {"type": "string"},
    "field": {"type": "string", "description": "the query parameter or body field at fault"},
    "errors": {"type": "array", "items": {"type": "object"}}}}
OPENAPI = {"type": "object", "required": ["openapi", "paths"], "properties": {"openapi": {"const": "3.1.0"}}}


WHY = {"400": "the body is not JSON, not an object, or nests too deeply", "401": "no valid token",
       "403": "the role may not", "404": "not there, or out of this user's depots",
       "409": "the week is approved or its pay period locked; the request_id already used with another body",
       "413": "the body is over 5 MB",
       "415": "the body is not application/json",
       "422": "a field is wrong, or breaks a rule between fields or against the records; `field` names it"}
READ, WRITE = ("401", "403", "404", "422"), ("400", "401", "403", "404", "409", "413", "415", "422")


def _responses(body: str, ok: str = "200", errors: tuple[str, ...] = READ) -> dict:
    responses = {ok: {"description": "OK", **_json(_ref(body))}}
    for code in errors:
        responses[code] = {"description": WHY[code], **_json(_ref("Error"))}
    return responses


def _q(name: str, description: str, required: bool = False, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or QUERY_TEXT}


QUERY_TEXT = {"type": "string", "maxLength": MAX_QUERY_CHARS, "pattern": r"^[^\x00-\x1f\x7f-\x9f]*$"}
ID = {"type": "string", "minLength": 1, "maxLength": MAX_PATH_ID_CHARS, "pattern": ID_PATTERN}
DAY = {"type": "string", "format": "date", "pattern": f"^{YEARS}-"}
TECH = _q("technician_id", "a technician id, e.g. T-100", schema=ID)
TECH_REQUIRED = {**TECH, "required": True}
RANGE = [_q("start", "first day (default: end - 6 days; at most 62 days before end)", schema=DAY),
         _q("end", "last day (default: today)", schema=DAY)]


@cache
def document() -> dict:
    _, defs = models_json_schema([(m, "validation") for m in BODIES], ref_template=REF)
    timesheet = timesheet_schema()
    schemas = {**defs.get("$defs", {}), **timesheet.pop("$defs", {}), "Timesheet": timesheet, **SCHEMAS, "Error": ERROR}
    body = lambda name: {"required": True, **_json(_ref(name))}  # noqa: E731
    queued = lambda name: {**_responses(name, "201", errors=WRITE),  # noqa: E731
                           "200": {"description": "the same request_id and body again: what it made before",
                                   **_json(_ref(name))}}
    wo_path = {"name": "work_order_id", "in": "path", "required": True, "schema": ID}
    return {
        "openapi": "3.1.0",
        "info": {"title": "DepotClock hub API", "version": "1",
                 "description": "Timesheets, events, work orders, check-ins, punches, corrections and approvals. "
                                "Hours are exact decimal strings; instants ISO 8601 with offsets."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {"schemas": schemas,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                      "description": "depotclock hub create-token USERNAME"}}},
        "paths": {
            "/timesheets": {"get": {"summary": "Timesheets with corrections applied, live up to now",
                                    "parameters": [TECH, *RANGE], "responses": _responses("Timesheets")}},
            "/events": {"get": {"summary": "A technician's effective events, each with the correction behind it and a punch's flags",
                                "parameters": [TECH_REQUIRED, *RANGE], "responses": _responses("Events")}},
            "/work-orders": {"get": {"summary": "Work orders of the user's depots",
                                     "parameters": [_q("status", "only this status")], "responses": _responses("WorkOrders")}},
            "/work-orders/{work_order_id}": {
                "parameters": [wo_path],
                "get": {"summary": "One work order", "responses": _responses("WorkOrder")},
                "put": {"summary": "Create or replace a work order (push from a PSA)", "requestBody": body("WorkOrderIn"),
                        "responses": {**_responses("WorkOrder", errors=WRITE),
                                      "201": {"description": "created", **_json(_ref("WorkOrder"))}}}},
            "/check-ins": {
                "get": {"summary": "A technician's check-ins", "parameters": [TECH_REQUIRED, *RANGE],
                        "responses": _responses("Visits")},
                "post": {"summary": "Check a technician in to a work order (idempotent by request_id)",
                         "requestBody": body("CheckInIn"), "responses": queued("Visit")}},
            "/check-ins/{visit_id}/check-out": {
                "parameters": [{"name": "visit_id", "in": "path", "required": True,
                                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID}}],
                "post": {"summary": "Check out, with the work order's next status and a note",
                         "requestBody": body("CheckOutIn"), "responses": _responses("Visit", errors=WRITE)}},
            "/check-outs": {
                "post": {"summary": "Check a technician out of their open check-in (a phone's, kept offline: "
                                    "idempotent by request_id)",
                         "requestBody": body("OpenCheckOutIn"), "responses": queued("Visit")}},
            "/timers": {
                "post": {"summary": "Start a timer on a work order or task category (stopping the running one), "
                                    "or stop it: the technician's own token only; idempotent by request_id",
                         "requestBody": body("TimerIn"), "responses": queued("Visit")}},
            "/punches": {
                "post": {"summary": "Clock in or out, start or end a break (a phone's punch; idempotent by request_id)",
                         "requestBody": body("PunchIn"), "responses": queued("Punch")}},
            "/corrections": {
                "get": {"summary": "A technician's corrections", "parameters": [TECH_REQUIRED],
                        "responses": _responses("Corrections")},
                "post": {"summary": "Make a correction (always with a reason)", "requestBody": body("CorrectionIn"),
                         "responses": _responses("Correction", "201", errors=WRITE)}},
            "/hours-entries": {
                "get": {"summary": "A technician's hours-only entries (voided ones too) of the days asked",
                        "parameters": [TECH_REQUIRED, *RANGE], "responses": _responses("HoursEntries")},
                "post": {"summary": "Enter hours worked on a day with no punches (always with a reason)",
                         "description": "A technician for themself until the week is submitted (when the company "
                                        "lets them), a supervisor, payroll or an admin until it is approved.",
                         "requestBody": body("HoursEntryIn"), "responses": _responses("HoursEntry", "201", errors=WRITE)}},
            "/hours-entries/{entry_id}/void": {
                "parameters": [{"name": "entry_id", "in": "path", "required": True,
                                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID}}],
                "post": {"summary": "Take an hours-only entry back (always with a reason); it stays, marked void",
                         "requestBody": body("HoursVoidIn"), "responses": _responses("HoursEntry", errors=WRITE)}},
            "/vehicles/{vehicle_id}/legs": {
                "parameters": [{"name": "vehicle_id", "in": "path", "required": True, "schema": ID}],
                "get": {"summary": "A van's drive legs, each with how its driver and work order were decided",
                        "description": "Supervisors see their depots' vans, admins all; technicians may not.",
                        "parameters": [
                            _q("from", "first day, on the van's depot's clock", required=True, schema=DAY),
                            _q("to", "last day (at most 30 days after from)", required=True, schema=DAY)],
                        "responses": _responses("VehicleLegs")}},
            "/approvals": {
                "get": {"summary": "A week's approval state and decisions",
                        "parameters": [TECH_REQUIRED, _q("week", "any day of the week (default: today)", schema=DAY)],
                        "responses": _responses("ApprovalState")},
                "post": {"summary": "Submit, approve, reject or void a week", "requestBody": body("ApprovalIn"),
                         "responses": _responses("Approval", "201", errors=WRITE)}},
            "/openapi.json": {"get": {"summary": "This document", "security": [],
                                      "responses": {"200": {"description": "OK", **_json(OPENAPI)}}}},
        },
    }


def query_names(rule: str, method: str) -> frozenset[str]:
    """The query parameters the document gives the operation behind a Flask `rule`
    (e.g. /api/v1/work-orders/<work_order_id>): any other is refused, not ignored."""
    return _query_names().get((re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule).removeprefix("/api/v1"), method.lower()),
                              frozenset())


@cache
def _query_names() -> dict[tuple[str, str], frozenset[str]]:
    return {(path, method): frozenset(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
            for path, item in document()["paths"].items() for method, operation in item.items() if method != "parameters"}
