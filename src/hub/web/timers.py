"""The technician's timers page: what runs now and since when, start one on a work order
or a task category (stopping the one running), stop it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField

from hub.services import check_ins, timers
from hub.services.offline_requests import Made
from hub.services.problems import Invalid
from hub.web.auth import now, payroll, requires, settings, viewer
from hub.web.db import get_session
from hub.web.forms import options, place_error
from hub.web.me import category_choices, queue_words, timed

bp = Blueprint("timers", __name__, url_prefix="/me/timer")


class StartForm(FlaskForm):
    target = SelectField(_l("Start a timer on"), choices=[], validate_choice=False)


class StopForm(FlaskForm):
    pass


def _me():
    return viewer().technician(get_session(), viewer().technician_id or "")


def _targets(technician):
    day = now().astimezone(ZoneInfo(technician.payroll_timezone)).date()
    work_orders = [(f"work_order:{w.id}", f"{w.id} · {w.customer}: {w.title}")
                   for w in check_ins.assigned_work_orders(get_session(), technician.id)]
    categories = [(f"category:{id_}", label) for id_, label in category_choices(day)]
    return options([("", _("— pick —"))] + work_orders + categories)


def _page(technician, start: StartForm | None = None):
    start = start or StartForm(formdata=None)
    start.target.choices = _targets(technician)
    running = check_ins.open_visit(get_session(), technician.id)
    return render_template("timers/index.html", technician=technician, running=running, start=start,
                           stop=StopForm(formdata=None), zone=technician.payroll_timezone, now=now(),
                           queue_words=queue_words(),
                           elapsed=int((now() - running.check_in_at).total_seconds()) if running else 0)


@bp.route("/")
@requires("technician")
def index():
    return _page(_me())


@bp.route("/start", methods=["POST"])
@requires("technician")
def start():
    technician = _me()
    form = StartForm()
    form.target.choices = _targets(technician)
    if form.validate_on_submit():
        try:
            visit, _new = timers.start_timer(get_session(), viewer(), payroll(), settings().punching, technician,
                                             form.target.data, Made(), now())
            get_session().commit()
            flash(timed(visit))
            return redirect(url_for("timers.index"))
        except Invalid as error:
            get_session().rollback()
            place_error(form, error, {"work_order": "target", "at": "target"})
    return _page(technician, form), 422


@bp.route("/stop", methods=["POST"])
@requires("technician")
def stop():
    technician = _me()
    if StopForm().validate_on_submit():
        try:
            visit, _new = timers.stop_timer(get_session(), viewer(), payroll(), settings().punching, technician,
                                            Made(), now())
            get_session().commit()
            flash(timed(visit))
        except Invalid as error:
            get_session().rollback()
            flash(_("Not stopped: %(why)s", why=error.message))
    return redirect(url_for("timers.index"))
