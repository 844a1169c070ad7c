"""A technician's own corrections of a day before they submit its week: move or void a
punch, name the work order (or task category) of a drive leg. Each is a correction with a
reason (hub.services.correcting), made by the technician, in the day's audit trail."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from hub.rules.corrections import CorrectionKind
from hub.rules.events import DriveLeg, Punch
from hub.services import approvals, check_ins, task_categories
from hub.services.correcting import CorrectionInput, record_correction
from hub.services.problems import Invalid
from hub.services.records_view import audit_trail, effective_events, local_bounds
from hub.web.auth import now, payroll, requires, viewer
from hub.web.db import get_session
from hub.web.views import parse_day, parse_local

bp = Blueprint("my_corrections", __name__, url_prefix="/me/corrections")

REPLACES: dict[str, type] = {CorrectionKind.MOVE_PUNCH: Punch, CorrectionKind.VOID_PUNCH: Punch,
                              CorrectionKind.ATTACH_LEG: DriveLeg}


def _me():
    return viewer().technician(get_session(), viewer().technician_id or "")


def _page(technician, day: date, errors: dict[str, dict[str, str]] | None = None):
    zone = technician.payroll_timezone
    lo, hi = local_bounds(day, day, zone)
    week = approvals.week_start(day, payroll())
    work_orders = [(w.id, w.id) for w in check_ins.assigned_work_orders(get_session(), technician.id)]
    return render_template(
        "my_corrections/day.html", technician=technician, day=day, zone=zone,
        events=[e for e in effective_events(get_session(), technician, lo, hi) if e.kind in ("punch", "leg")],
        audit=audit_trail(get_session(), technician, lo, hi), allowed=payroll().own_corrections,
        state=approvals.week_state(get_session(), payroll(), technician.id, week), errors=errors or {},
        targets=work_orders + task_categories.choices(get_session(), day),
    ), 422 if errors else 200


@bp.route("/")
@requires("technician")
def day():
    technician = _me()
    today = now().astimezone(ZoneInfo(technician.payroll_timezone)).date()
    return _page(technician, parse_day(request.args["day"]) if request.args.get("day") else today)


@bp.route("/", methods=["POST"])
@requires("technician")
def correct():
    technician = _me()
    form = request.form
    day = parse_day(form.get("day"))
    kind, replaces = form.get("kind", ""), form.get("replaces", "")
    if kind not in REPLACES:
        abort(400)
    zone = technician.payroll_timezone
    lo, hi = local_bounds(day, day, zone)
    # only the technician's own events of the day shown: anything else is not there (404)
    event = next((e for e in effective_events(get_session(), technician, lo, hi)
                  if e.id == replaces and isinstance(e.event, REPLACES[kind])), None)
    if event is None:
        abort(404)
    try:
        at = parse_local(day, form.get("time"), zone, "time") if kind == "move_punch" else None
        record_correction(get_session(), viewer(), payroll(), technician, CorrectionInput(
            kind=kind, reason=form.get("reason", ""), replaces=replaces, at=at,
            work_order=form.get("work_order") if kind == "attach_leg" else None, near=event.at), now())
        get_session().commit()
    except Invalid as error:
        get_session().rollback()
        return _page(technician, day, {replaces: {{"at": "time"}.get(error.field, error.field): error.message}})
    flash("Correction recorded; it shows on your timesheet with your reason.")
    return redirect(url_for("my_corrections.day", day=day.isoformat()))
