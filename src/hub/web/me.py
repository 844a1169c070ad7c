"""The technician's pages (phone-first): clock in and out and take breaks, my day so far,
check in and out of work orders, account for a gap, add a manual entry, my week and its
approval, my kiosk PIN. They install as an app (static/manifest.webmanifest) whose service
worker (/me/sw.js) keeps them for use with no network; punches made then wait on the
phone (static/outbox.js), with the check-ins, check-outs and timers made then, and come to
/me/punches.json, /me/check-ins.json, /me/check-outs.json and /me/timers.json when it is back."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ValidationError

from depotclock.punch_states import open_steps
from depotclock.wire.messages import STATE_AFTER, BreakKind, PunchAction, TechState
from hub.rules.punch_location import Position
from hub.services import approvals, check_ins, punch_reviews, punching
from hub.services.correcting import CorrectionInput, record_correction
from hub.services.kiosk_pins import set_pin
from hub.services.offline_requests import Made
from hub.services.problems import Invalid
from hub.services.records_view import day_of, sheet
from hub.web import api_json
from hub.web.api import check_out_now, created, problem, run_timer
from hub.web.api_input import ApiError, json_body
from hub.web.api_schemas import CheckInIn, OpenCheckOutIn, PunchIn, TimerIn
from hub.web.auth import now, payroll, requires, settings, viewer
from hub.web.db import get_session
from hub.web.forms import (
    NEXT_STATUS_WORDS,
    PUNCH_ACTIONS,
    AccountGapForm,
    CheckInForm,
    CheckOutForm,
    ManualEntryForm,
    PinForm,
    PunchForm,
    options,
    place_error,
)
from hub.web.sheets import week_context, week_pdf
from hub.web.views import category_choices, parse_day, parse_local

bp = Blueprint("me", __name__, url_prefix="/me")


def _me():
    return viewer().technician(get_session(), viewer().technician_id or "")


def _today(technician) -> date:
    return now().astimezone(ZoneInfo(technician.payroll_timezone)).date()


def _choices(technician, categories: bool):
    assigned = check_ins.assigned_work_orders(get_session(), technician.id)
    choices = [("", _("— pick —"))] + [(w.id, f"{w.id} · {w.customer}: {w.title}") for w in assigned]
    return options(choices + (category_choices(_today(technician)) if categories else []))


@bp.route("/")
@requires("technician")
def day():
    technician = _me()
    shown = parse_day(request.args["day"]) if request.args.get("day") else None
    return _day_with(technician, shown)


@bp.route("/check-in", methods=["POST"])
@requires("technician")
def check_in():
    technician = _me()
    form = CheckInForm()
    form.work_order.choices = _choices(technician, categories=False)
    if form.validate_on_submit():
        try:
            visit, _new = check_ins.check_in(get_session(), viewer(), payroll(), settings().punching, technician,
                                             form.number.data or form.work_order.data, Made(), now())
            get_session().commit()
            flash(_checked_in(visit, technician))
            return redirect(url_for("me.day"))
        except Invalid as error:
            place_error(form, error, {"work_order": "number" if form.number.data else "work_order"})
    return _day_with(technician, check_in=form), 422


@bp.route("/check-out", methods=["POST"])
@requires("technician")
def check_out():
    technician = _me()
    form = CheckOutForm()
    if form.validate_on_submit():
        try:
            visit, _new = check_ins.check_out(get_session(), viewer(), payroll(), settings().punching, technician,
                                              form.next_status.data, form.note.data, Made(), now())
            get_session().commit()
            flash(_checked_out(visit, technician))
            return redirect(url_for("me.day"))
        except Invalid as error:
            place_error(form, error)
    return _day_with(technician, check_out=form), 422


STEP_LABELS = {("clock_in", None): _l("Clock in"), ("clock_out", None): _l("Clock out"), ("break_start", None): _l("Start break"),
               ("break_start", "meal"): _l("Meal break"), ("break_start", "rest"): _l("Rest break"),
               ("break_end", None): _l("End break")}
STATE_LABELS = {"off": _l("Off the clock"), "working": _l("At work"), "on_break": _l("On a break")}


@bp.route("/punch", methods=["POST"])
@requires("technician")
def punch():
    """A punch button: the same state machine as the kiosk decides what it may be."""
    technician = _me()
    form = PunchForm()
    if form.validate_on_submit():
        position = (Position(form.lat.data, form.lon.data, form.accuracy_m.data)
                    if form.lat.data is not None and form.lon.data is not None else None)
        given = punching.PunchInput(PunchAction(form.action.data or ""),
                                    BreakKind(form.break_kind.data) if form.break_kind.data else None,
                                    None, form.request_id.data, position)
        try:
            row, _new = punching.punch(get_session(), viewer(), payroll(), settings().punching, technician, given, now())
            get_session().commit()
            flash(_punched(row, technician))
            return redirect(url_for("me.day"))
        except Invalid as error:
            get_session().rollback()
            flash(_("Not recorded: %(why)s", why=error.message))
    else:
        flash(_("Not recorded: %(why)s", why="; ".join(f"{name}: {', '.join(errors)}" for name, errors in form.errors.items())))
    return _day_with(technician), 422


def _queued(model, take, say, record):
    """A request the page's script sends, made now or kept while the phone was offline: the
    API's body and service, with the login's cookie and CSRF token (X-CSRFToken). What the
    hub made of it is flashed for the page the script then loads."""
    technician = _me()
    try:
        body = json_body(model)
        if body.technician_id != technician.id:
            raise Invalid("technician_id", "made while another technician was logged in on this phone")
        made, new = take(body, technician)
        get_session().commit()
    except (ApiError, Invalid, ValidationError) as refusal:
        get_session().rollback()
        return problem(refusal)
    flash(say(made, technician))
    return created(record(made), new)


@bp.route("/punches.json", methods=["POST"])
@requires("technician")
def punch_json():
    return _queued(PunchIn, lambda body, technician: punching.punch(
        get_session(), viewer(), payroll(), settings().punching, technician, body.punch_input(), now()),
        _punched, api_json.punch)


@bp.route("/check-ins.json", methods=["POST"])
@requires("technician")
def check_in_json():
    return _queued(CheckInIn, lambda body, technician: check_ins.check_in(
        get_session(), viewer(), payroll(), settings().punching, technician, body.work_order_id, body.made(), now()),
        _checked_in, api_json.visit)


@bp.route("/check-outs.json", methods=["POST"])
@requires("technician")
def check_out_json():
    return _queued(OpenCheckOutIn, check_out_now, _checked_out, api_json.visit)


@bp.route("/timers.json", methods=["POST"])
@requires("technician")
def timer_json():
    return _queued(TimerIn, run_timer, timed, api_json.visit)


def timed(visit, _technician=None) -> str:
    """What a timer request did: started (the visit runs) or stopped."""
    target = visit.work_order_id or visit.category_id
    return (_("Timer started on %(target)s.", target=target) if visit.check_out_at is None
            else _("Timer on %(target)s stopped.", target=target))


def _checked_in(visit, technician) -> str:
    return _("Checked in to %(work_order)s at %(time)s.", work_order=visit.work_order_id,
             time=visit.check_in_at.astimezone(ZoneInfo(technician.payroll_timezone)).strftime("%H:%M"))


def _checked_out(visit, technician) -> str:
    return _("Checked out of %(work_order)s: %(status)s.", work_order=visit.work_order_id,
             status=str(NEXT_STATUS_WORDS[visit.next_status]).lower())


def _punched(row, technician) -> str:
    label = STEP_LABELS[(row.action, row.break_kind)]
    said = _("%(step)s: %(time)s.", step=label, time=row.at.astimezone(ZoneInfo(technician.payroll_timezone)).strftime("%H:%M"))
    if row.flags:
        said += " " + _("It is flagged for your supervisor: %(flags)s", flags=", ".join(f.replace("_", " ") for f in row.flags))
    return said


@bp.route("/sw.js")
def service_worker():
    """The service worker, served here so that its scope is the technician's pages."""
    response = send_from_directory(current_app.static_folder or "", "sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"  # a new version reaches the phones at once
    return response


def _punch_buttons(technician):
    """Every state's buttons, each saying the state it leads to, and the state now: the
    page's script shows the next state's buttons after a punch kept offline."""
    state, ask_kind = punching.open_steps_now(get_session(), payroll(), technician, now())
    states = []
    for each in TechState:
        buttons = []
        for action, kind in open_steps(each, ask_kind):
            form = PunchForm(formdata=None, action=action.value, break_kind=kind.value if kind else "",
                             request_id=str(uuid.uuid4()))
            buttons.append((STEP_LABELS[(action.value, kind.value if kind else None)], form, STATE_AFTER[action].value))
        states.append((each.value, STATE_LABELS[each.value], buttons))
    return state.value, STATE_LABELS[state.value], states


@bp.route("/pin", methods=["GET", "POST"])
@requires("technician")
def pin():
    """My kiosk PIN, for the day my badge stays at home."""
    technician = _me()
    form = PinForm()
    if form.validate_on_submit():
        try:
            set_pin(get_session(), viewer(), technician, form.pin.data or "", now())
            get_session().commit()
            flash(_("Your kiosk PIN is set; the kiosks have it within a minute."))
            return redirect(url_for("me.day"))
        except Invalid as error:
            place_error(form, error)
    return render_template("me/form.html", form=form, title=_("My kiosk PIN"),
                           submit=_("Set PIN")), 422 if form.errors else 200


def queue_words() -> dict[str, str]:
    """What static/outbox.js says, in the technician's language ({why}: the hub's reason)."""
    return {"waiting": _("waiting to send"), "not_theirs": _("waiting for its technician to log in on this phone"),
            "refused": _("not recorded: %(why)s", why="{why}"), "dismiss": _("Dismiss"),
            "offline": _("No network: sent when it is back."), "log_in": _("Log in again to send them."),
            "no_answer": _("The hub did not answer; they are sent again when this page is opened."),
            "failed": _("Not sent: %(why)s", why="{why}"), "incomplete": _("Not kept: fill in the form first.")}


def _day_with(technician, shown: date | None = None, **forms):
    today = _today(technician)
    shown = shown or today
    zone = technician.payroll_timezone
    found = sheet(get_session(), payroll(), technician, shown, shown, now())
    check_in = forms.get("check_in") or CheckInForm(formdata=None)
    check_in.work_order.choices = _choices(technician, categories=False)
    return render_template(
        "me/day.html", technician=technician, day=shown, today=today, sheet=day_of(found, shown),
        exceptions=[e for e in found.timesheet.exceptions if e.at.astimezone(ZoneInfo(zone)).date() == shown],
        marks=found.marks, visit=check_ins.open_visit(get_session(), technician.id), check_in=check_in,
        check_out=forms.get("check_out") or CheckOutForm(formdata=None), zone=zone,
        clock=_punch_buttons(technician) if shown == today else None, queue_words=queue_words(),
        prev=shown - timedelta(days=1), next=shown + timedelta(days=1))


@bp.route("/account", methods=["GET", "POST"])
@requires("technician")
def account_gap():
    """Say what a stretch of time on the clock was for: a work order, or shop/training/admin."""
    technician = _me()
    form = AccountGapForm(data={"day": request.args.get("day", _today(technician).isoformat()),
                                "start": request.args.get("start", ""), "end": request.args.get("end", "")})
    form.work_order.choices = _choices(technician, categories=True)
    if form.validate_on_submit():
        try:
            zone = technician.payroll_timezone
            day = parse_day(form.day.data)
            target = (form.number.data or form.work_order.data or "").strip()
            if not target:
                raise Invalid("work_order", "pick a work order or a category")
            record_correction(get_session(), viewer(), payroll(), technician, CorrectionInput(
                kind="add_visit", reason=form.note.data or "", at=parse_local(day, form.start.data, zone, "start", "From"),
                end=parse_local(day, form.end.data, zone, "end", "Until"), work_order=target, manual=True), now())
            get_session().commit()
            flash(_("Time accounted for."))
            return redirect(url_for("me.day", day=day.isoformat()))
        except Invalid as error:
            place_error(form, error, {"at": "start", "reason": "note", "work_order":
                                      "number" if form.number.data else "work_order"})
    return render_template("me/form.html", form=form, title=_("Account for time"),
                           submit=_("Save")), 422 if form.errors else 200


@bp.route("/manual", methods=["GET", "POST"])
@requires("technician")
def manual_entry():
    """A punch the kiosk did not get (forgot to badge): added as a manual entry, marked so."""
    technician = _me()
    form = ManualEntryForm(data={"day": request.args.get("day", _today(technician).isoformat()),
                                 "action": request.args.get("action", "clock_out")})
    if form.validate_on_submit():
        try:
            day = parse_day(form.day.data)
            record_correction(get_session(), viewer(), payroll(), technician, CorrectionInput(
                kind="add_punch", reason=form.reason.data or "", action=form.action.data,
                at=parse_local(day, form.time.data, technician.payroll_timezone, "time"), manual=True), now())
            get_session().commit()
            flash(_("Manual entry added; it shows as manual on your timesheet."))
            return redirect(url_for("me.day", day=day.isoformat()))
        except Invalid as error:
            place_error(form, error, {"at": "time"})
    return render_template("me/form.html", form=form, title=_("Add a manual entry"),
                           submit=_("Add entry")), 422 if form.errors else 200


def _shown_week(technician) -> date:
    shown = parse_day(request.args["week"], "week") if request.args.get("week") else _today(technician)
    return approvals.week_start(shown, payroll())


@bp.route("/week")
@requires("technician")
def week():
    technician = _me()
    start = _shown_week(technician)
    flagged = punch_reviews.flagged_punches(get_session(), viewer(), punch_reviews.Filters(start, start + timedelta(days=6)))
    return render_template("me/week.html", **week_context(technician, start), flagged=flagged,
                           actions=dict(PUNCH_ACTIONS), day_url=lambda d: url_for("me.day", day=d.isoformat()))


@bp.route("/week.pdf")
@requires("technician")
def week_printed():
    """My week printed for sign-off (only ever my own: the technician is the logged-in one)."""
    technician = _me()
    return week_pdf(technician, _shown_week(technician))


@bp.route("/week/submit", methods=["POST"])
@requires("technician")
def submit_week():
    technician = _me()
    start = approvals.week_start(_today(technician), payroll())
    try:
        start = approvals.week_start(parse_day(request.form.get("week")), payroll())
        approvals.submit(get_session(), viewer(), payroll(), technician, start, now())
        get_session().commit()
        flash(_("Week of %(day)s submitted for approval.", day=format_date(start, "d MMM")))
    except Invalid as error:
        flash(_("Not submitted: %(why)s", why=error.message))
    return redirect(url_for("me.week", week=start.isoformat()))
