"""A technician's own corrections of a day before they submit its week: move or void a
punch, name the work order (or task category) of a drive leg. Each is a correction with a
reason (hub.services.correcting), made by the technician, in the day's audit trail. The
page is in the technician's language: the events and the trail are said here in their words
(the services describe them in English, for the office)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hub.rules.corrections import CorrectionKind
from hub.rules.events import DriveLeg, Punch
from hub.rules.task_categories import TaskCategory
from hub.services import approvals, check_ins, task_categories
from hub.services.correcting import CorrectionInput, record_correction
from hub.services.problems import Invalid
from hub.services.records_view import AuditEntry, EventLine, audit_trail, effective_events, local_bounds
from hub.web.auth import now, payroll, requires, viewer
from hub.web.db import get_session
from hub.web.language import spoken
from hub.web.me import STEP_LABELS
from hub.web.views import category_choices, parse_day, parse_local

bp = Blueprint("my_corrections", __name__, url_prefix="/me/corrections")

REPLACES: dict[str, type] = {CorrectionKind.MOVE_PUNCH: Punch, CorrectionKind.VOID_PUNCH: Punch,
                              CorrectionKind.ATTACH_LEG: DriveLeg}


PLACES = {"depot": _l("depot"), "site": _l("site"), "home": _l("home"), "other": _l("elsewhere")}
KINDS = {"add_punch": _l("punch added"), "move_punch": _l("punch moved"), "void_punch": _l("punch voided"),
         "attach_leg": _l("drive leg named"), "add_visit": _l("time accounted for"),
         "void_correction": _l("correction voided")}


def _target(names: dict[str, TaskCategory], work_order: str | None) -> str:
    if work_order is None:
        return _("no work order")
    return names[work_order].name if work_order in names else work_order


def event_words(line: EventLine, zone: str, names: dict[str, TaskCategory]) -> str:
    """A punch or drive leg as the technician reads it."""
    event = line.event
    if isinstance(event, Punch):
        return str(STEP_LABELS.get((event.type, event.break_kind), event.type))
    assert isinstance(event, DriveLeg)
    return _("drive %(origin)s→%(destination)s, %(km)s km, %(target)s, until %(time)s",
             origin=PLACES.get(event.origin, event.origin), destination=PLACES.get(event.destination, event.destination),
             km=format(event.km, ".1f"), target=_target(names, event.work_order), time=spoken(event.end, zone, "HH:mm"))


def audit_words(entry: AuditEntry, zone: str, names: dict[str, TaskCategory]) -> str:
    """A correction in the day's trail as the technician reads it: what, by whom, replacing what."""
    values = entry.correction.values or {}
    parts = [str(KINDS.get(entry.correction.kind, entry.correction.kind))]
    if values.get("action"):
        parts.append(str(STEP_LABELS.get((values["action"], None), values["action"])).lower())
    if values.get("at"):
        parts.append(_("at %(time)s", time=spoken(datetime.fromisoformat(values["at"]), zone)))
    if values.get("end"):
        parts.append(_("until %(time)s", time=spoken(datetime.fromisoformat(values["end"]), zone, "HH:mm")))
    if values.get("work_order"):
        parts.append(_target(names, values["work_order"]))
    if values.get("manual"):
        parts.append(_("(manual entry)"))
    said = _("c%(id)s by %(who)s: %(what)s", id=entry.correction.id, who=entry.who, what=" ".join(parts))
    if entry.correction.replaces_id:
        said += " " + _("replacing %(event)s", event=entry.correction.replaces_id)
    return said + " — " + entry.correction.reason


def _me():
    return viewer().technician(get_session(), viewer().technician_id or "")


def _page(technician, day: date, errors: dict[str, dict[str, str]] | None = None):
    zone = technician.payroll_timezone
    lo, hi = local_bounds(day, day, zone)
    week = approvals.week_start(day, payroll())
    work_orders = [(w.id, w.id) for w in check_ins.assigned_work_orders(get_session(), technician.id)]
    names = task_categories.categories(get_session())
    return render_template(
        "my_corrections/day.html", technician=technician, day=day, zone=zone,
        event_words=lambda line: event_words(line, zone, names), audit_words=lambda a: audit_words(a, zone, names),
        events=[e for e in effective_events(get_session(), technician, lo, hi) if e.kind in ("punch", "leg")],
        audit=audit_trail(get_session(), technician, lo, hi), allowed=payroll().own_corrections,
        state=approvals.week_state(get_session(), payroll(), technician.id, week), errors=errors or {},
        targets=work_orders + category_choices(day),
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
    flash(_("Correction recorded; it shows on your timesheet with your reason."))
    return redirect(url_for("my_corrections.day", day=day.isoformat()))
