"""The technician's hours-only entries: hours worked on a day with no punches ("2 h
Training on Tuesday"), each with a reason, until the week is submitted; voiding one of
their own the same way (hub.services.hours_entries)."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from hub.services import approvals, check_ins
from hub.services.hours_entries import HoursEntryInput, add_entry, entry_lines, void_entry
from hub.services.problems import Invalid
from hub.web.auth import now, payroll, requires, viewer
from hub.web.db import get_session
from hub.web.forms import HoursEntryForm, options, place_error
from hub.web.me import category_choices
from hub.web.views import parse_day

bp = Blueprint("my_hours", __name__, url_prefix="/me/hours")


def _me():
    return viewer().technician(get_session(), viewer().technician_id or "")


def _choose(form: HoursEntryForm, technician, day: date) -> None:
    pick = [("", _("— pick —"))]
    form.category.choices = options(pick + category_choices(day))
    form.work_order.choices = options(pick + [(w.id, f"{w.id} · {w.customer}: {w.title}")
                                              for w in check_ins.assigned_work_orders(get_session(), technician.id)])


def _page(technician, day: date, form: HoursEntryForm | None = None, void_errors: dict | None = None):
    form = form or HoursEntryForm(formdata=None, data={"day": day.isoformat()})
    _choose(form, technician, day)
    start = approvals.week_start(day, payroll())
    failed = bool(form.errors or void_errors)
    state = approvals.week_state(get_session(), payroll(), technician.id, start)
    open_ = payroll().own_corrections and not (state.submitted or state.final)
    return render_template(
        "my_hours/index.html", technician=technician, day=day, start=start, form=form,
        lines=entry_lines(get_session(), technician.id, start, start + timedelta(days=6)),
        allowed=payroll().own_corrections, open=open_, void_errors=void_errors or {}, zone=technician.payroll_timezone,
        void_url=(lambda entry: url_for("my_hours.void", entry_id=entry.id)) if open_ else None,
    ), 422 if failed else 200


@bp.route("/")
@requires("technician")
def index():
    technician = _me()
    today = now().astimezone(ZoneInfo(technician.payroll_timezone)).date()
    return _page(technician, parse_day(request.args["day"]) if request.args.get("day") else today)


@bp.route("/", methods=["POST"])
@requires("technician")
def add():
    technician = _me()
    form = HoursEntryForm()
    try:
        day = parse_day(form.day.data)
    except Invalid as error:
        day = now().astimezone(ZoneInfo(technician.payroll_timezone)).date()
        place_error(form, error)
        return _page(technician, day, form)
    _choose(form, technician, day)
    if form.validate_on_submit():
        try:
            add_entry(get_session(), viewer(), payroll(), technician, HoursEntryInput(
                day=day, duration=form.duration.data or "", reason=form.reason.data or "",
                work_order=form.work_order.data, category=form.category.data), now())
            get_session().commit()
            flash(_("Hours added; they show on your week with your reason."))
            return redirect(url_for("my_hours.index", day=day.isoformat()))
        except Invalid as error:
            get_session().rollback()
            place_error(form, error)
    return _page(technician, day, form)


@bp.route("/<int:entry_id>/void", methods=["POST"])
@requires("technician")
def void(entry_id: int):
    technician = _me()
    day = parse_day(request.form.get("day"))
    try:
        void_entry(get_session(), viewer(), payroll(), technician, entry_id, request.form.get("reason", ""), now())
        get_session().commit()
    except Invalid as error:
        get_session().rollback()
        return _page(technician, day, void_errors={entry_id: error.message})
    flash(_("Hours voided; the entry stays on your week, marked void, with your reason."))
    return redirect(url_for("my_hours.index", day=day.isoformat()))
