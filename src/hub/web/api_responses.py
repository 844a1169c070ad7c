"""The JSON schemas of what the API answers (the shapes `api_json` writes; a timesheet is
`timesheet_document`'s), for the OpenAPI document: every field required, nothing else
allowed, so a change to one without the other fails the tests."""

from __future__ import annotations

DATE = {"type": "string", "format": "date"}
INSTANT = {"type": "string", "format": "date-time"}
TEXT = {"type": "string"}
MAYBE_TEXT = {"type": ["string", "null"]}
MAYBE_NUMBER = {"type": ["number", "null"]}


def record(**properties) -> dict:
    return {"type": "object", "required": list(properties), "additionalProperties": False, "properties": properties}


def many(item: dict) -> dict:
    return {"type": "array", "items": item}


FLAGS = {**many(TEXT), "description": "for payroll to look at: pin, needs_approval (waits for a supervisor; "
                                       "`approved` once one has), outside_geofence, no_position, sent_late, "
                                       "phone_clock, unknown_badge, clock_unsynced, clock_jumped, locked_period"}
EVENT = record(id=TEXT, kind={"enum": ["punch", "leg", "visit"]}, at=INSTANT, what=TEXT, correction=MAYBE_TEXT,
               flags={**FLAGS, "description": "a punch's flags, as corrections leave them (empty for legs and visits): "
                                              + FLAGS["description"]})
WORK_ORDER = record(id=TEXT, customer=TEXT, title=TEXT, depot_id=TEXT, site_address=MAYBE_TEXT, lat=MAYBE_NUMBER,
                    lon=MAYBE_NUMBER, radius_m={"type": "number"}, billable={"type": "boolean"}, status=TEXT,
                    assigned=many(TEXT), quickbooks_job=MAYBE_TEXT)
VISIT = record(id={"type": "integer"}, request_id=MAYBE_TEXT, technician_id=TEXT,
               work_order_id={**MAYBE_TEXT, "description": "a check-in's, or a timer's on a work order"},
               category_id={**MAYBE_TEXT, "description": "a timer's on a task category"},
               check_in_at=INSTANT, check_out_at={"type": ["string", "null"], "format": "date-time"},
               check_out_request_id=MAYBE_TEXT, next_status=MAYBE_TEXT, note=MAYBE_TEXT, source=TEXT,
               flags={**many(TEXT), "description": "for payroll to look at: sent_late, phone_clock"})
PUNCH = record(id={"type": "string", "format": "uuid"}, technician_id=TEXT,
               action={"enum": ["clock_in", "clock_out", "break_start", "break_end"]},
               break_kind={"enum": ["meal", "rest", None]}, at=INSTANT,
               source={"enum": ["kiosk", "phone", "supervisor"]}, lat=MAYBE_NUMBER, lon=MAYBE_NUMBER,
               accuracy_m=MAYBE_NUMBER, request_id=MAYBE_TEXT,
               flags=FLAGS)
CORRECTION = record(id={"type": "string", "pattern": "^c[0-9]+$"}, technician_id=TEXT, kind=TEXT, reason=TEXT,
                    replaces=MAYBE_TEXT, values={"type": "object"}, created_at=INSTANT,
                    created_by={"type": "integer", "description": "the user's id"})
HOURS_ENTRY = record(
    id={"type": "string", "pattern": "^h[0-9]+$"}, technician_id=TEXT, day=DATE,
    minutes={"type": "integer", "minimum": 1, "maximum": 1440}, category=MAYBE_TEXT, work_order=MAYBE_TEXT,
    reason=TEXT, created_at=INSTANT, created_by={"type": "integer", "description": "the user's id"},
    void={"anyOf": [record(reason=TEXT, created_at=INSTANT, created_by={"type": "integer"}), {"type": "null"}],
          "description": "who took it back, when and why; a voided entry no longer counts"})
APPROVAL = record(id={"type": "integer"}, technician_id=TEXT, week_start=DATE, level=TEXT,
                  decision={"enum": ["submitted", "approved", "rejected", "voided"]}, decided_at=INSTANT,
                  decided_by={"type": "integer", "description": "the user's id"}, reason=MAYBE_TEXT)

LEG = record(
    id={"type": "integer"},
    start_at={**INSTANT, "description": "UTC"}, end_at={**INSTANT, "description": "UTC"},
    start_local={**INSTANT, "description": "the same instant on the depot's clock (`timezone`)"},
    end_local={**INSTANT, "description": "the same instant on the depot's clock (`timezone`)"},
    distance_km={"type": "number"},
    source={"enum": ["ignition", "motion"], "description": "what the van's legs are cut on"},
    origin={"enum": ["depot", "site", "home", "other"]}, destination={"enum": ["depot", "site", "home", "other"]},
    driver=record(technician_id=MAYBE_TEXT, decided_by={
        "enum": ["cab_badge", "assignment", "supervisor_correction", "none"],
        "description": "the driver's badge read in the cab, the van's assignment, a supervisor naming "
                       "the driver of a leg that had none, or nobody known"}),
    work_order=record(id=MAYBE_TEXT, decided_by={
        "enum": ["check_in", "geofence", "supervisor_correction", "none"],
        "description": "the driver's check-in near the leg's end, the site's geofence without a check-in, "
                       "an attach_leg correction, or none"}))

SCHEMAS = {
    "Timesheets": record(start=DATE, end=DATE, timesheets=many({"$ref": "#/components/schemas/Timesheet"})),
    "Events": record(technician_id=TEXT, timezone={**TEXT, "description": "the zone the instants are shown in"},
                     events=many(EVENT)),
    "WorkOrder": WORK_ORDER,
    "WorkOrders": record(work_orders=many(WORK_ORDER)),
    "Visit": VISIT,
    "Visits": record(check_ins=many(VISIT)),
    "Punch": PUNCH,
    "Correction": CORRECTION,
    "Corrections": record(corrections=many(CORRECTION)),
    "VehicleLegs": record(vehicle_id=TEXT, depot_id=TEXT,
                          timezone={**TEXT, "description": "the depot's zone: `from`, `to` and `*_local` are on its clock"},
                          **{"from": DATE, "to": DATE}, legs=many(LEG)),
    "HoursEntry": HOURS_ENTRY,
    "HoursEntries": record(technician_id=TEXT, entries=many(HOURS_ENTRY)),
    "Approval": APPROVAL,
    "ApprovalState": record(technician_id=TEXT, week_start=DATE, status=TEXT, final={"type": "boolean"},
                            pending={"type": ["string", "null"]}, decisions=many(APPROVAL)),
}
