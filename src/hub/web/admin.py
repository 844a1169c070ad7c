"""Admin pages: technicians (wages, rates, policy, who they are in each payroll system:
one at a time or a CSV of many), vans and drivers, depots, their geofences and where their technicians
may punch from a phone, work orders (CSV import), task categories, job titles that track
time, users and roles. Plain forms; a message next to the field; nothing half-saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, DecimalField, FloatField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from hub.rules.notices import WORDS as NOTICE_WORDS
from hub.rules.policy import PRESETS
from hub.services import accounts, admin_changes, holidays, notices, payroll_identities, web_sessions
from hub.services.kiosk_pins import set_pin
from hub.services.problems import Invalid
from hub.store.access import ROLES
from hub.store.base import Base
from hub.store.models import Depot, Kiosk, TaskCategory, Technician, User, Vehicle, WorkOrder
from hub.web.auth import now, payroll, settings, today, viewer
from hub.web.db import get_session
from hub.web.forms import SelectChoice, options, place_error
from hub.web.views import parse_day, parse_local

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(lambda: viewer().require("admin"))


def zone_name(form, field):
    try:
        ZoneInfo(field.data or "")
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("Give an IANA time zone such as America/Chicago.") from None


class TechnicianForm(FlaskForm):
    id = StringField("Id", validators=[DataRequired(), Length(max=64)])
    name = StringField("Name (as shown on pages)", validators=[DataRequired(), Length(max=120)])
    given_name = StringField("Given name (as payroll has it)", validators=[Optional(), Length(max=120)])
    family_name = StringField("Family name (as payroll has it)", validators=[Optional(), Length(max=120)])
    job_title = StringField("Job title", validators=[DataRequired(), Length(max=120)])
    payroll_id = StringField("Payroll id (DepotClock's CSV)", validators=[Optional(), Length(max=64)])
    wage = DecimalField("Wage per hour", places=2, validators=[DataRequired(), NumberRange(min=0)])
    cost_rate = DecimalField("Cost rate per hour", places=2, validators=[DataRequired(), NumberRange(min=0)])
    billing_rate = DecimalField("Billing rate per hour", places=2, validators=[DataRequired(), NumberRange(min=0)])
    overtime_policy = SelectField("Overtime policy", choices=options((p, p) for p in PRESETS))
    payroll_timezone = StringField("Payroll time zone", default="America/Chicago", validators=[DataRequired(), zone_name])
    home_depot_id = SelectField("Home depot", choices=[])
    tracks_time = BooleanField("Tracks time", default=True)
    active = BooleanField("Active", default=True)
    # who the technician is in each payroll system (hub.export.identities), not columns of theirs
    adp = StringField("ADP file number (up to 6 digits)", validators=[Optional(), Length(max=64)])
    paychex = StringField("Paychex worker id (letters and digits, up to 10)", validators=[Optional(), Length(max=64)])
    gusto = StringField("Gusto employee id (Gusto's own)", validators=[Optional(), Length(max=64)])
    iif = StringField("QuickBooks employee name (exactly as in its employee list)",
                      validators=[Optional(), Length(max=120)])
    pin = PasswordField("Kiosk PIN for a forgotten badge (6 to 8 digits; leave empty to keep)", validators=[
        Optional(), Regexp(r"^[0-9]{6,8}$", message="A PIN is 6 to 8 digits.")])


IDENTITY_FIELDS = ("adp", "paychex", "gusto", "iif")


class DepotForm(FlaskForm):
    id = StringField("Id", validators=[DataRequired(), Length(max=64)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    timezone = StringField("Time zone", default="America/Chicago", validators=[DataRequired(), zone_name])
    address = StringField("Address", validators=[Optional(), Length(max=300)])
    lat = FloatField("Latitude", validators=[DataRequired(), NumberRange(-90, 90)])
    lon = FloatField("Longitude", validators=[DataRequired(), NumberRange(-180, 180)])
    geofence_radius_m = FloatField("Geofence radius (m)", default=150.0, validators=[DataRequired(), NumberRange(10, 5000)])
    location_policy = SelectField("Its technicians punch from a phone", choices=options([
        ("", "as the company's setting says"), ("anywhere", "anywhere"),
        ("flag_outside", "anywhere, flagged outside a depot or work order site"),
        ("refuse_outside", "only at a depot or an open work order's site")]), default="")


class VehicleForm(FlaskForm):
    id = StringField("Id", validators=[DataRequired(), Length(max=64)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    plate = StringField("Plate", validators=[Optional(), Length(max=20)])
    depot_id = SelectField("Depot", choices=[])
    leg_source = SelectField("Drive legs from", choices=options([("ignition", "ignition"), ("motion", "motion")]))


class KioskForm(FlaskForm):
    id = StringField("Id (its broker username)", validators=[DataRequired(), Length(max=64)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    depot_id = SelectField("Depot", choices=[])


class WorkOrderForm(FlaskForm):
    id = StringField("Id", validators=[DataRequired(), Length(max=64)])
    customer = StringField("Customer", validators=[DataRequired(), Length(max=200)])
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    site_address = StringField("Site address", validators=[Optional(), Length(max=300)])
    lat = FloatField("Latitude", validators=[Optional(), NumberRange(-90, 90)])
    lon = FloatField("Longitude", validators=[Optional(), NumberRange(-180, 180)])
    radius_m = FloatField("Site radius (m)", default=100.0, validators=[DataRequired(), NumberRange(1, 100_000)])
    billable = BooleanField("Billable", default=True)
    depot_id = SelectField("Depot", choices=[])
    quickbooks_job = StringField("QuickBooks job (Customer:Job, as in Customers & Jobs)",
                                 validators=[Optional(), Length(max=200)])


class TaskCategoryForm(FlaskForm):
    """Time on the clock that is not a work order; the id is what records keep, the dates
    when technicians may put time on it (a retired category stays on the weeks it was used)."""

    id = StringField("Id", validators=[DataRequired(), Length(max=64)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    billable = BooleanField("Billable", default=False)
    active_from = DateField("Active from (empty: always)", validators=[Optional()])
    active_to = DateField("Active until (empty: still)", validators=[Optional()])

    def validate_active_to(self, field):
        if field.data and self.active_from.data and field.data < self.active_from.data:
            raise ValidationError("Give a day on or after the first active day.")


class ImportForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file.")])


class UserForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password (leave empty to keep)", validators=[Optional()])
    email = StringField("Email (reminders and notices)", validators=[Optional(), Length(max=254)],
                        render_kw={"type": "email", "autocomplete": "off"})
    role = SelectField("Role", choices=options((r, r) for r in ROLES))
    technician_id = SelectField("Technician (for a technician user)", choices=[], validate_choice=False)
    depots = SelectMultipleField("Depots", choices=[])
    active = BooleanField("Active", default=True)


def _depot_choices():
    return options(admin_changes.choices(get_session(), Depot))


def _technician_choices(blank: bool = False):
    return admin_changes.choices(get_session(), Technician, blank)


# page -> (model, form, list columns, choices to fill)
SIMPLE: dict[str, tuple[type[Base], type[FlaskForm], tuple[str, ...], dict[str, Callable[[], list[SelectChoice]]]]] = {
    "technicians": (Technician, TechnicianForm, ("id", "name", "job_title", "wage", "overtime_policy", "home_depot_id",
                                                  "tracks_time", "active"), {"home_depot_id": _depot_choices}),
    "depots": (Depot, DepotForm, ("id", "name", "timezone", "lat", "lon", "geofence_radius_m"), {}),
    "kiosks": (Kiosk, KioskForm, ("id", "name", "depot_id"), {"depot_id": _depot_choices}),
    "vehicles": (Vehicle, VehicleForm, ("id", "name", "plate", "depot_id", "leg_source"), {"depot_id": _depot_choices}),
    "work-orders": (WorkOrder, WorkOrderForm, ("id", "customer", "title", "status", "billable", "depot_id"),
                    {"depot_id": _depot_choices}),
    "task-categories": (TaskCategory, TaskCategoryForm, ("id", "name", "billable", "active_from", "active_to"), {}),
}


FENCES = {"depots": "geofence_radius_m", "work-orders": "radius_m"}  # pages with a geofence map: its radius field


@bp.route("/")
def index():
    return render_template("admin/index.html", pages=list(SIMPLE), settings=payroll(), presets=PRESETS)


@bp.route("/<page>/", methods=["GET", "POST"])
@bp.route("/<page>/<key>", methods=["GET", "POST"])
def edit(page: str, key: str | None = None):
    """The list of a simple table with a form to add a row (or edit `key`)."""
    if page not in SIMPLE:
        abort(404)
    model, form_class, columns, choices = SIMPLE[page]
    row = get_session().get(model, key) if key else None
    if key and row is None:
        abort(404)
    identities = {}
    if page == "technicians" and key is not None:
        identities = {provider: identity.employee_name if provider == "iif" else identity.employee_id
                      for provider, identity in payroll_identities.technician_identities(get_session(), key).items()}
    form = form_class(obj=row, **identities)
    for name, source in choices.items():
        getattr(form, name).choices = source()
    if key:
        form.id.render_kw = {"readonly": True}
    if form.validate_on_submit():
        values = {f.name: f.data for f in form if f.type not in ("CSRFTokenField", "SubmitField")}
        values = {k: (v.strip() or None if isinstance(v, str) and k in (
            "payroll_id", "address", "plate", "site_address", "quickbooks_job", "location_policy") else v)
            for k, v in values.items()}
        entered = {p: values.pop(p) for p in IDENTITY_FIELDS if p in values}
        pin = values.pop("pin", None)
        if page == "technicians":
            values["given_name"], values["family_name"] = (values[n] or "" for n in ("given_name", "family_name"))
        try:
            admin_changes.save(get_session(), model, key, values)
            for provider, text in entered.items():
                try:
                    identity = payroll_identities.checked(provider, *((None, text) if provider == "iif" else (text, None)))
                    payroll_identities.set_identity(get_session(), values["id"], provider, identity)
                except Invalid as error:
                    raise Invalid(provider, error.message) from None
            if pin:
                set_pin(get_session(), viewer(), get_session().get_one(Technician, values["id"]), pin, now())
            get_session().commit()
            flash(f"Saved {values['id']}.")
            return redirect(url_for("admin.edit", page=page))
        except Invalid as error:
            get_session().rollback()
            place_error(form, error)
    rows = admin_changes.all_rows(get_session(), model)
    extra = {}
    if page == "vehicles":
        extra = {"drivers": admin_changes.current_drivers(get_session()), "technicians": _technician_choices(blank=True)}
    if page == "work-orders":
        extra = {"import_form": ImportForm(formdata=None)}
    if page in FENCES:
        extra["fence_field"], extra["fence_near"] = FENCES[page], admin_changes.company_area(get_session())
    if page == "technicians":
        extra = {"identity_form": ImportForm(formdata=None)}
    return render_template("admin/table.html", page=page, rows=rows, columns=columns, form=form, key=key,
                           **extra), 422 if form.errors else 200


def _since(text: str | None):
    """The optional start of an assignment made after the fact, YYYY-MM-DDTHH:MM in the
    company's zone (a datetime-local field); None: now."""
    if text is None or not text.strip():
        return None
    day, _, wall = text.strip().partition("T")
    return parse_local(parse_day(day, "since"), wall, settings().timezone, "since")


@bp.route("/vehicles/assign", methods=["POST"])
def assign():
    try:
        admin_changes.assign_vehicle(get_session(), request.form.get("vehicle_id", ""),
                                 request.form.get("technician_id") or None, now(),
                                 since=_since(request.form.get("since")))
        get_session().commit()
        flash("Driver assigned.")
    except Invalid as error:
        flash(f"Not saved: {error.field}: {error.message}")
    return redirect(url_for("admin.edit", page="vehicles"))


@bp.route("/work-orders/import", methods=["POST"])
def import_work_orders():
    form = ImportForm()
    if form.validate_on_submit():
        try:
            result = admin_changes.import_work_orders(get_session(), form.file.data.read(), None)
            get_session().commit()
            flash(f"Imported: {result.created} new, {result.updated} updated.")
            return redirect(url_for("admin.edit", page="work-orders"))
        except Invalid as error:
            get_session().rollback()
            place_error(form, error)
    work_form = WorkOrderForm(formdata=None)
    work_form.depot_id.choices = _depot_choices()
    rows = admin_changes.all_rows(get_session(), WorkOrder)
    return render_template("admin/table.html", page="work-orders", rows=rows, columns=SIMPLE["work-orders"][2],
                           form=work_form, key=None, import_form=form), 422


@bp.route("/technicians/identities/import", methods=["POST"])
def import_identities():
    """Payroll identities from CSV (technician_id, provider, employee_id, employee_name)."""
    form = ImportForm()
    if form.validate_on_submit():
        try:
            result = payroll_identities.import_identities(get_session(), form.file.data.read())
            get_session().commit()
            flash(f"Imported payroll identities: {result.saved} saved, {result.removed} removed.")
            return redirect(url_for("admin.edit", page="technicians"))
        except Invalid as error:
            get_session().rollback()
            place_error(form, error)
    tech_form = TechnicianForm(formdata=None)
    tech_form.home_depot_id.choices = _depot_choices()
    rows = admin_changes.all_rows(get_session(), Technician)
    return render_template("admin/table.html", page="technicians", rows=rows, columns=SIMPLE["technicians"][2],
                           form=tech_form, key=None, identity_form=form), 422


@bp.route("/job-titles", methods=["GET", "POST"])
def job_titles():
    if request.method == "POST":
        try:
            count = admin_changes.set_title_tracks_time(get_session(), request.form.get("job_title", ""),
                                                    request.form.get("tracks_time") == "yes")
            get_session().commit()
            flash(f"Updated {count} technicians.")
        except Invalid as error:
            flash(f"Not saved: {error.message}")
        return redirect(url_for("admin.job_titles"))
    return render_template("admin/job_titles.html", titles=admin_changes.job_titles(get_session()))


@bp.route("/holidays", methods=["GET", "POST"])
def holiday_calendar():
    """The company's own holidays (add, remove) beside the public ones of its country and
    subdivision for this year and next ([payroll.holidays] in the settings)."""
    session, errors = get_session(), {}
    if request.method == "POST":
        try:
            if request.form.get("remove"):
                remove = request.form["remove"]
                row = holidays.remove_company_day(session, int(remove) if remove.isdigit() else -1)
                flash(f"Removed {row.name} ({row.day.isoformat()}).")
            else:
                text = (request.form.get("day") or "").strip()
                row = holidays.add_company_day(session, parse_day(text, "day") if text else None,
                                               request.form.get("name", ""))
                flash(f"Added {row.name} ({row.day.isoformat()}).")
            session.commit()
            return redirect(url_for("admin.holiday_calendar"))
        except Invalid as error:
            session.rollback()
            errors = {error.field: error.message}
    year = today().year
    rules = payroll().holidays
    public = holidays.calendar(session, rules, date(year, 1, 1), date(year + 1, 12, 31)) if rules.country else ()
    own = {row.day for row in holidays.company_days(session)}
    return render_template("admin/holidays.html", rules=rules, company=holidays.company_days(session),
                           public=[p for p in public if p.day not in own], errors=errors,
                           form=request.form if errors else {}), 422 if errors else 200


@bp.route("/users/", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def users(user_id: int | None = None):
    session = get_session()
    user = session.get(User, user_id) if user_id else None
    if user_id and user is None:
        abort(404)
    form = UserForm(obj=user, depots=accounts.user_depots(session, user.id) if user else [])
    form.technician_id.choices = options(_technician_choices(blank=True))
    form.depots.choices = _depot_choices()
    if form.validate_on_submit():
        try:
            if user is None:
                accounts.create_user(session, form.username.data or "", form.password.data or "", form.role.data, now(),
                                     form.technician_id.data or None, form.depots.data or [], form.email.data)
            else:
                accounts.update_user(session, user, form.role.data, form.technician_id.data or None,
                                     form.depots.data or [], form.active.data, now(), form.password.data or None,
                                     form.email.data)
            session.commit()
            flash(f"Saved {form.username.data}.")
            return redirect(url_for("admin.users"))
        except Invalid as error:
            session.rollback()
            place_error(form, error)
    rows = admin_changes.all_rows(session, User)
    return render_template("admin/users.html", users=rows, form=form, user=user), 422 if form.errors else 200


@bp.route("/users/<int:user_id>/sign-out", methods=["POST"])
def sign_out_everywhere(user_id: int):
    """Ends every web login of the user at once (a lost laptop, a shared screen left open)."""
    user = get_session().get(User, user_id) or abort(404)
    ended = web_sessions.end_all(get_session(), user.id, now())
    get_session().commit()
    flash(f"Signed {user.username} out everywhere ({ended} logins ended).")
    return redirect(url_for("admin.users", user_id=user.id))


@bp.route("/notifications")
def notification_log():
    """The reminders and notices sent, failing or waiting: to whom, what, when, how it went."""
    return render_template("admin/notifications.html", rows=notices.sent_log(get_session()),
                           words={kind.value: words for kind, words in NOTICE_WORDS.items()})
