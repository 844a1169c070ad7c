"""The forms people fill in (Flask-WTF: each carries its CSRF token); a service's Invalid
goes next to the field it names."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # types-WTForms 3.2 predates it (3.3)
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import HiddenInput

from hub.services.check_ins import NEXT_STATUSES
from hub.services.problems import Invalid

PUNCH_ACTIONS = [("clock_in", _l("Clock in")), ("clock_out", _l("Clock out")), ("break_start", _l("Break start")),
                 ("break_end", _l("Break end"))]
# NEXT_STATUSES in the technician's words (the service's own are English)
NEXT_STATUS_WORDS = {"resolved": _l("Resolved"), "waiting_on_client": _l("Waiting on client"),
                     "needs_scheduling": _l("Needs scheduling")}


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as a select field's choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def place_error(form: FlaskForm, error: Invalid, aliases: dict[str, str] | None = None) -> None:
    """Put a service's message next to its field (or the form's first field)."""
    name = (aliases or {}).get(error.field, error.field)
    target = getattr(form, name, None)
    if target is None or not hasattr(target, "errors"):
        target = next(f for f in form if f.type != "CSRFTokenField")
    if not isinstance(target.errors, list):
        target.errors = list(target.errors)
    target.errors.append(error.message)


class CheckInForm(FlaskForm):
    work_order = SelectField(_l("My work orders"), choices=[], validate_choice=False)
    number = StringField(_l("…or its number"), validators=[Optional(), Length(max=64)])


class CheckOutForm(FlaskForm):
    next_status = SelectField(_l("Next status"), choices=options((k, NEXT_STATUS_WORDS[k]) for k in NEXT_STATUSES),
                              validators=[DataRequired(_l("Choose the work order's next status."))])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


def day_field() -> StringField:
    """A date: the phone's date picker, and the server reads what a browser without one sends."""
    return StringField(_l("Day"), validators=[DataRequired(_l("Give the day."))], render_kw={"type": "date"})


def time_field(label: str, required: str) -> StringField:
    """A wall-clock time typed as people write it (7:05, 07.05, 0705, 7:05 pm): read by
    hub.rules.typed_time, so a text box, not a picker that refuses 07.05."""
    return StringField(label, validators=[DataRequired(required)],
                       render_kw={"placeholder": _l("7:05 or 19:05"), "autocomplete": "off", "size": 10})


class AccountGapForm(FlaskForm):
    day = day_field()
    start = time_field(_l("From"), _l("Give when it started."))
    end = time_field(_l("Until"), _l("Give when it ended."))
    work_order = SelectField(_l("Work order or category"), choices=[], validate_choice=False)
    number = StringField(_l("…or a work order number"), validators=[Optional(), Length(max=64)])
    note = TextAreaField(_l("Note (what you were doing)"), validators=[DataRequired(_l("Say what the time was for."))])


class ManualEntryForm(FlaskForm):
    day = day_field()
    time = time_field(_l("Time"), _l("Give the time."))
    action = SelectField(_l("Punch"), choices=options(PUNCH_ACTIONS))
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Say why the kiosk has no punch."))])


class HoursEntryForm(FlaskForm):
    """Hours with no punches on a day: the duration and the reason are checked by
    hub.services.hours_entries, which names the field at fault."""

    day = day_field()
    duration = StringField(_l("Hours"), validators=[DataRequired(_l("Give the hours."))],
                           render_kw={"placeholder": _l("1.5 or 1:30"), "inputmode": "decimal", "autocomplete": "off",
                                      "size": 8})
    category = SelectField(_l("Task category"), choices=[], validate_choice=False)
    work_order = SelectField(_l("…or a work order"), choices=[], validate_choice=False)
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Say why these hours have no punches."))])


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[DataRequired("Give a reason.")])


class PunchForm(FlaskForm):
    """A punch button on the technician's page: the action is the button's; the position
    is the browser's, filled in by static/outbox.js when it has one; the request id is the
    page's, so the same form sent twice is one punch."""

    action = HiddenField(validators=[AnyOf(["clock_in", "clock_out", "break_start", "break_end"])])
    break_kind = HiddenField(validators=[Optional(), AnyOf(["meal", "rest"])])
    request_id = HiddenField(validators=[DataRequired(), Length(max=64)])
    lat = FloatField(widget=HiddenInput(), validators=[Optional(), NumberRange(-90, 90)])
    lon = FloatField(widget=HiddenInput(), validators=[Optional(), NumberRange(-180, 180)])
    accuracy_m = FloatField(widget=HiddenInput(), validators=[Optional(), NumberRange(0, 100_000)])


class PinForm(FlaskForm):
    pin = PasswordField(_l("New kiosk PIN (6 to 8 digits)"), validators=[
        DataRequired(_l("Give the PIN.")), Regexp(r"^[0-9]{6,8}$", message=_l("A PIN is 6 to 8 digits."))],
        render_kw={"inputmode": "numeric", "autocomplete": "new-password"})
