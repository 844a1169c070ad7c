"""Payroll's Exports page: export a pay period in a payroll system's format (or preview
it), see who went in, who was left out and what changed since the last export of the
period, and download any export of the period again, byte for byte, from its record.
An export that nobody would go in asks first."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, render_template, request
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired

from hub.export.formats import FORMATS
from hub.export.period_hours import WORDS
from hub.services import exporting
from hub.services.problems import Invalid
from hub.web.auth import now, requires, settings, today, viewer
from hub.web.db import get_session, own_sessions
from hub.web.forms import options, place_error
from hub.web.views import parse_day

bp = Blueprint("exports", __name__, url_prefix="/payroll/exports")
REASONS = {"not_approved": "not approved", "no_employee_id": "no payroll identity", "exported": "in the file"}
TITLES = {name: f.title for name, f in FORMATS.items()}


class ExportForm(FlaskForm):
    day = StringField("Pay period (any day in it)", validators=[DataRequired("Give a day of the pay period.")])
    format = SelectField("Format", choices=options((name, f.title) for name, f in FORMATS.items()),
                         validators=[DataRequired("Choose a format.")])
    preview = BooleanField("Preview (DepotClock CSV only: every technician, approved or not; PREVIEW in the file "
                           "names and on every row, so no payroll system imports it)")
    confirm_empty = HiddenField()  # "yes": record it even with no technician in it (after being asked)


def _page(form: ExportForm, result=None, status: int = 200, empty: exporting.Unconfirmed | None = None):
    try:
        day = parse_day(form.day.data, "day")
    except Invalid:
        day = today()
    period = exporting.period(settings(), day)
    previous_at = datetime.fromisoformat(result.changes.previous_at) if result and result.changes else None
    return render_template("payroll/exports.html", form=form, result=result, period=period, statuses=REASONS,
                           titles=TITLES, pay_codes=WORDS, previous_at=previous_at, empty=empty,
                           past=exporting.past_exports(get_session(), viewer(), period)), status


@bp.route("/", methods=["GET"])
@requires("payroll", "admin")
def index():
    form = ExportForm(formdata=None, day=request.args.get("day") or today().isoformat(),
                      format=request.args.get("format") or "generic")
    return _page(form)


@bp.route("/", methods=["POST"])
@requires("payroll", "admin")
def run():
    form = ExportForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    try:
        day = parse_day(form.day.data, "day")
        result = exporting.run_export(get_session(), settings(), viewer(), day, form.format.data,
                                      form.preview.data, now(), confirmed_empty=form.confirm_empty.data == "yes")
    except exporting.Unconfirmed as empty:
        get_session().rollback()
        return _page(form, status=422, empty=empty)
    except Invalid as error:
        get_session().rollback()
        place_error(form, error)
        return _page(form, status=422)
    return _page(form, result)


@bp.route("/<int:export_id>/files/<int:file_id>")
@requires("payroll", "admin")
def download(export_id: int, file_id: int):
    """The file exactly as exported; its SHA-256 is the ETag."""
    file = exporting.export_file(get_session(), viewer(), export_id, file_id)
    get_session().expunge(file)  # read on after the request's session is closed
    sessions = own_sessions()

    def body():
        with sessions() as session:
            yield from exporting.content(session, file)

    mimetype = "text/plain" if file.name.endswith(".iif") else "text/csv"
    response = Response(body(), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{file.name}"'
    response.headers["Content-Length"] = str(file.size)
    response.set_etag(file.sha256)
    return response
