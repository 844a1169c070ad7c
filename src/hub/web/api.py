"""The JSON API under /api/v1, for a PSA or work-order system: pull timesheets and events,
push work orders and check-ins, make corrections and approval decisions. Each request
carries `Authorization: Bearer <token>` and acts as the token's user, with that user's
role and depots. Bad input is a 4xx JSON error naming the field."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, g, jsonify, request
from pydantic import ValidationError

from hub.services import approvals, check_ins, punching, timers
from hub.services.accounts import user_of_token
from hub.services.admin_changes import assign_work_order, assigned_technicians, save
from hub.services.correcting import CorrectionInput, corrections_of, record_correction
from hub.services.hours_entries import HoursEntryInput, add_entry, entry_lines, visible_entry, void_entry
from hub.services.offline_requests import ReplayConflict
from hub.services.problems import Invalid, Locked
from hub.services.records_view import effective_events, local_bounds
from hub.services.scope import Viewer
from hub.services.van_legs import van_legs
from hub.store.models import Depot, Technician, WorkOrder, WorkOrderVisit
from hub.web import api_json
from hub.web.api_input import ApiError, check_arguments, day_argument, json_body
from hub.web.api_schemas import (
    ApprovalIn,
    CheckInIn,
    CheckOutIn,
    CorrectionIn,
    HoursEntryIn,
    HoursVoidIn,
    OpenCheckOutIn,
    PunchIn,
    TimerIn,
    WorkOrderIn,
)
from hub.web.auth import now, payroll, settings, today, viewer
from hub.web.db import get_session
from hub.web.openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_DAYS = 62
MAX_LEG_DAYS = 31  # a van's legs: at most a month at a time


def problem(exc: ApiError | Invalid | ValidationError):
    """A refusal as a 4xx JSON problem naming the field (the API's, and the phone page's
    punches, which share the API's body)."""
    if isinstance(exc, ApiError):
        body = {"error": exc.error, "message": exc.message}
        if exc.field:
            body["field"] = exc.field
        return jsonify(body), exc.status
    if isinstance(exc, Invalid):
        status, error = (409, "locked") if isinstance(exc, Locked) else \
            (409, "conflict") if isinstance(exc, ReplayConflict) else (422, "invalid")
        return jsonify(error=error, field=exc.field, message=exc.message), status
    errors = [{"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]}
              for e in exc.errors(include_url=False)]
    return jsonify(error="invalid", field=errors[0]["field"], message=errors[0]["message"], errors=errors), 422


for _refusal in (ApiError, Invalid, ValidationError):
    bp.register_error_handler(_refusal, problem)


@bp.before_request
def _authenticate():
    check_arguments()
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    user = user_of_token(get_session(), token) if token else None
    if user is None:
        response = jsonify(error="unauthorized", message="send Authorization: Bearer <token> with a valid token")
        response.headers["WWW-Authenticate"] = 'Bearer realm="depotclock"'
        return response, 401
    g.user = user
    g.viewer = Viewer.of(get_session(), user)
    return None


def _range():
    end = day_argument("end", today())
    start = day_argument("start", end - timedelta(days=6))
    if end < start:
        raise ApiError(422, "invalid", "end is before start", "end")
    if (end - start).days >= MAX_DAYS:
        raise ApiError(422, "invalid", f"ask for at most {MAX_DAYS} days at a time", "end")
    return start, end


def _legs_range():
    """`from` and `to`, both required: days on the van's depot's clock."""
    start, end = day_argument("from"), day_argument("to")
    if end < start:
        raise ApiError(422, "invalid", "to is before from", "to")
    if (end - start).days >= MAX_LEG_DAYS:
        raise ApiError(422, "invalid", f"ask for at most {MAX_LEG_DAYS} days at a time", "to")
    return start, end


def _technician(technician_id: str | None, field: str = "technician_id") -> Technician:
    if not technician_id:
        raise ApiError(422, "invalid", "give the technician", field)
    return viewer().technician(get_session(), technician_id)


@bp.route("/openapi.json")
def openapi():
    return jsonify(document())


@bp.route("/timesheets")
def timesheets():
    from hub.services.records import timesheets as compute

    start, end = _range()
    wanted = request.args.get("technician_id")
    ids = [_technician(wanted).id] if wanted is not None else viewer().technician_ids(get_session())
    found = [api_json.timesheet(t, start, end)
             for t in compute(get_session(), payroll(), start, end, ids, as_of=now())]
    return jsonify(start=start.isoformat(), end=end.isoformat(), timesheets=found)


@bp.route("/events")
def events():
    start, end = _range()
    technician = _technician(request.args.get("technician_id"))
    lo, hi = local_bounds(start, end, technician.payroll_timezone)
    lines = effective_events(get_session(), technician, lo, hi)
    return jsonify(technician_id=technician.id, timezone=technician.payroll_timezone,
                   events=[api_json.event(line) for line in lines])


@bp.route("/vehicles/<vehicle_id>/legs")
def vehicle_legs(vehicle_id: str):
    start, end = _legs_range()
    return jsonify(api_json.van_legs(van_legs(get_session(), viewer(), vehicle_id, start, end), start, end))


def _assigned(work_order_id: str) -> list[str]:
    return assigned_technicians(get_session(), work_order_id)


@bp.route("/work-orders")
def work_orders():
    query = viewer().work_orders().order_by(WorkOrder.id)
    if request.args.get("status"):
        query = query.where(WorkOrder.status == request.args["status"])
    rows = list(get_session().scalars(query.limit(1000)))
    return jsonify(work_orders=[api_json.work_order(r, _assigned(r.id)) for r in rows])


@bp.route("/work-orders/<work_order_id>", methods=["GET"])
def work_order(work_order_id: str):
    row = viewer().work_order(get_session(), work_order_id)
    return jsonify(api_json.work_order(row, _assigned(row.id)))


@bp.route("/work-orders/<work_order_id>", methods=["PUT"])
def put_work_order(work_order_id: str):
    viewer().require("supervisor", "admin")
    body = json_body(WorkOrderIn)
    session, depots = get_session(), viewer().depots
    if session.get(Depot, body.depot_id) is None or (depots is not None and body.depot_id not in depots):
        raise Invalid("depot_id", f"no depot {body.depot_id}")
    existing = session.get(WorkOrder, work_order_id)
    if existing is not None:
        viewer().work_order(session, work_order_id)  # in scope
    kept = {"assigned"} | ({"quickbooks_job"} - body.model_fields_set)  # an omitted job stays as it is
    values = body.model_dump(exclude=kept) | {"id": work_order_id}
    known = set(viewer().technician_ids(session))
    missing = [t for t in body.assigned if t not in known]
    if missing:
        raise Invalid("assigned", f"no technician {', '.join(missing)}")
    row = save(session, WorkOrder, work_order_id if existing else None, values)
    assign_work_order(session, work_order_id, body.assigned)
    session.commit()
    return jsonify(api_json.work_order(row, _assigned(work_order_id))), 200 if existing else 201


def created(record: dict, new: bool):
    """201 with what a request made, or 200 with what the same request made before."""
    return jsonify(record), 201 if new else 200


@bp.route("/check-ins", methods=["POST"])
def check_in():
    body = json_body(CheckInIn)
    technician = _technician(body.technician_id)
    visit, new = check_ins.check_in(get_session(), viewer(), payroll(), settings().punching, technician,
                                    body.work_order_id, body.made(), now(), source="api")
    get_session().commit()
    return created(api_json.visit(visit), new)


@bp.route("/check-ins")
def list_check_ins():
    start, end = _range()
    technician = _technician(request.args.get("technician_id"))
    lo, hi = local_bounds(start, end, technician.payroll_timezone)
    rows = check_ins.visits_between(get_session(), technician.id, lo, hi)
    return jsonify(check_ins=[api_json.visit(v) for v in rows])


@bp.route("/check-ins/<int:visit_id>/check-out", methods=["POST"])
def check_out(visit_id: int):
    body = json_body(CheckOutIn)
    visit = get_session().get(WorkOrderVisit, visit_id)
    if visit is None:
        raise ApiError(404, "not_found", f"no check-in {visit_id}")
    technician = _technician(visit.technician_id)
    visit, _new = check_ins.check_out(get_session(), viewer(), payroll(), settings().punching, technician,
                                      body.next_status, body.note, body.made(), now(), visit_id=visit_id)
    get_session().commit()
    return jsonify(api_json.visit(visit))


@bp.route("/check-outs", methods=["POST"])
def check_out_open():
    body = json_body(OpenCheckOutIn)
    visit, new = check_out_now(body, _technician(body.technician_id))
    get_session().commit()
    return created(api_json.visit(visit), new)


def check_out_now(body: OpenCheckOutIn, technician: Technician):
    """Out of the technician's open check-in (the API's and the phone page's)."""
    return check_ins.check_out(get_session(), viewer(), payroll(), settings().punching, technician,
                               body.next_status, body.note, body.made(), now())


@bp.route("/timers", methods=["POST"])
def timer():
    body = json_body(TimerIn)
    visit, new = run_timer(body, _technician(body.technician_id))
    get_session().commit()
    return created(api_json.visit(visit), new)


def run_timer(body: TimerIn, technician: Technician):
    """Start or stop the technician's timer (the API's and the phone page's)."""
    if body.action == "stop":
        return timers.stop_timer(get_session(), viewer(), payroll(), settings().punching, technician, body.made(), now())
    return timers.start_timer(get_session(), viewer(), payroll(), settings().punching, technician, body.target,
                              body.made(), now())


@bp.route("/punches", methods=["POST"])
def punch():
    body = json_body(PunchIn)
    technician = _technician(body.technician_id)
    row, new = punching.punch(get_session(), viewer(), payroll(), settings().punching, technician, body.punch_input(),
                              now())
    get_session().commit()
    return created(api_json.punch(row), new)


@bp.route("/corrections")
def corrections():
    technician = _technician(request.args.get("technician_id"))
    return jsonify(corrections=[api_json.correction(c) for c in corrections_of(get_session(), technician.id)])


@bp.route("/corrections", methods=["POST"])
def correct():
    body = json_body(CorrectionIn)
    technician = _technician(body.technician_id)
    given = CorrectionInput(**body.model_dump(exclude={"technician_id"}))
    row = record_correction(get_session(), viewer(), payroll(), technician, given, now())
    get_session().commit()
    return jsonify(api_json.correction(row)), 201


@bp.route("/hours-entries")
def hours_entries():
    start, end = _range()
    technician = _technician(request.args.get("technician_id"))
    lines = entry_lines(get_session(), technician.id, start, end)
    return jsonify(technician_id=technician.id, entries=[api_json.hours_entry(line.entry, line.void) for line in lines])


@bp.route("/hours-entries", methods=["POST"])
def add_hours_entry():
    body = json_body(HoursEntryIn)
    technician = _technician(body.technician_id)
    entry = add_entry(get_session(), viewer(), payroll(), technician, HoursEntryInput(
        day=body.day, duration=f"{body.minutes // 60}:{body.minutes % 60:02d}", reason=body.reason,
        work_order=body.work_order, category=body.category), now())
    get_session().commit()
    return jsonify(api_json.hours_entry(entry, None)), 201


@bp.route("/hours-entries/<int:entry_id>/void", methods=["POST"])
def void_hours_entry(entry_id: int):
    body = json_body(HoursVoidIn)
    entry, technician = visible_entry(get_session(), viewer(), entry_id)
    void = void_entry(get_session(), viewer(), payroll(), technician, entry.id, body.reason, now())
    get_session().commit()
    return jsonify(api_json.hours_entry(entry, void))


@bp.route("/approvals")
def list_approvals():
    technician = _technician(request.args.get("technician_id"))
    week = approvals.week_start(day_argument("week", today()), payroll())
    state = approvals.week_state(get_session(), payroll(), technician.id, week)
    rows = approvals.decisions(get_session(), technician.id, week)
    return jsonify(technician_id=technician.id, week_start=week.isoformat(), status=state.label,
                   final=state.final, pending=state.pending, decisions=[api_json.approval(r) for r in rows])


@bp.route("/approvals", methods=["POST"])
def decide():
    body = json_body(ApprovalIn)
    technician = _technician(body.technician_id)
    week = approvals.week_start(body.week, payroll())
    session, args = get_session(), (viewer(), payroll(), technician, week)
    if body.decision == "submit":
        row = approvals.submit(session, *args, now())
    elif body.decision == "approve":
        row = approvals.approve(session, *args, now(), confirmed=body.confirm)
    elif body.decision == "reject":
        row = approvals.reject(session, *args, body.reason, now())
    else:
        row = approvals.void(session, *args, body.reason, now())
    session.commit()
    return jsonify(api_json.approval(row)), 201


