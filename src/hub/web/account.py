"""Every user's own account page: the email address reminders and notices go to, and
which kinds of them they receive."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.validators import Length, Optional

from hub.services import accounts, notices
from hub.services.problems import Invalid
from hub.web.db import get_session
from hub.web.forms import options, place_error

bp = Blueprint("account", __name__, url_prefix="/account")


class NoticeForm(FlaskForm):
    email = StringField("Email address", validators=[Optional(), Length(max=254, message="Give an address of up to 254 characters.")],
                        render_kw={"type": "email", "autocomplete": "email"})
    # the service refuses a kind not offered (validate_choice would only say "Not a valid choice")
    notices = SelectMultipleField("Send me an email when", choices=[], validate_choice=False,
                                  widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput())


@bp.route("/", methods=["GET", "POST"])
def index():
    session, user = get_session(), g.user
    offered = notices.choices(user, session)
    form = NoticeForm(data={"email": user.email or "", "notices": [kind.value for kind, _, on in offered if on]})
    form.notices.choices = options((kind.value, words) for kind, words, _ in offered)
    if form.validate_on_submit():
        try:
            accounts.set_email(session, user, form.email.data)
            notices.choose(session, user, form.notices.data or [])
            session.commit()
            flash("Saved your email and notices." if user.email else
                  "Saved. Without an email address you receive no notices.")
            return redirect(url_for("account.index"))
        except Invalid as error:
            session.rollback()
            place_error(form, error)
    return render_template("account.html", form=form, offered=offered), 422 if form.errors else 200
