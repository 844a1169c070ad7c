"""Every user's own account page: the email address reminders and notices go to, and
which kinds of them they receive."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import Length, Optional

from hub.services import accounts, notices
from hub.services.problems import Invalid
from hub.store.models import Technician
from hub.translations import NAMES
from hub.web.db import get_session
from hub.web.forms import options, place_error

bp = Blueprint("account", __name__, url_prefix="/account")


class NoticeForm(FlaskForm):
    language = SelectField(_l("Language of my pages and emails"), choices=[], validate_choice=False)
    email = StringField(_l("Email address"),
                        validators=[Optional(), Length(max=254, message=_l("Give an address of up to 254 characters."))],
                        render_kw={"type": "email", "autocomplete": "email"})
    # the service refuses a kind not offered (validate_choice would only say "Not a valid choice")
    notices = SelectMultipleField(_l("Send me an email when"), choices=[], validate_choice=False,
                                  widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput())


@bp.route("/", methods=["GET", "POST"])
def index():
    session, user = get_session(), g.user
    offered = notices.choices(user, session)
    technician = session.get(Technician, user.technician_id) if user.technician_id else None
    form = NoticeForm(data={"email": user.email or "", "notices": [kind.value for kind, _words, on in offered if on],
                            "language": technician.language or "" if technician else ""})
    form.notices.choices = options((kind.value, _(words)) for kind, words, _on in offered)
    if technician is None:
        del form.language  # only a technician's own pages and emails are translated
    else:
        form.language.choices = options([("", _("As my browser asks"))] + list(NAMES.items()))
    if form.validate_on_submit():
        try:
            accounts.set_email(session, user, form.email.data)
            notices.choose(session, user, form.notices.data or [])
            if technician is not None:
                accounts.set_language(session, user, form.language.data)
            session.commit()
            flash(_("Saved your email and notices.") if user.email else
                  _("Saved. Without an email address you receive no notices."))
            return redirect(url_for("account.index"))
        except Invalid as error:
            session.rollback()
            place_error(form, error)
    return render_template("account.html", form=form, offered=offered), 422 if form.errors else 200
