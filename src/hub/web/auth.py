"""Logging in and out, and the one gate every request passes: who is asking (from the
session or an API token), whether their session has expired, and what their role allows."""

from __future__ import annotations

from datetime import date, datetime
from functools import wraps
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from hub.services import web_sessions
from hub.services.accounts import authenticate
from hub.services.scope import NotAllowed, Viewer
from hub.settings import HubSettings, PayrollSettings
from hub.store.models import User
from hub.web.db import get_session
from hub.web.login_throttle import per_account, per_address

bp = Blueprint("auth", __name__)
PUBLIC = {"auth.login", "auth.favicon", "static", "me.service_worker", "api.openapi",
          "health.healthz", "health.readyz", "metrics.metrics"}  # /metrics checks its own access


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(message=_l("Enter your username."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password."))])


def now() -> datetime:
    return current_app.config["CLOCK"]()


def today() -> date:
    """Today in the company's payroll zone."""
    return now().astimezone(ZoneInfo(settings().timezone)).date()


def settings() -> HubSettings:
    return current_app.config["HUB_SETTINGS"]


def payroll() -> PayrollSettings:
    return settings().payroll


def viewer() -> Viewer:
    return g.viewer


def requires(*roles: str):
    """Only these roles may use the view (403 for the others)."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            viewer().require(*roles)
            return view(*args, **kwargs)
        return wrapped
    return decorate


def _session_user() -> User | None:
    if session.get("key") is None:
        return None
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    stamp = now().timestamp()
    if stamp - session.get("seen", 0) > idle or stamp - session.get("since", 0) > \
            current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds():
        session.clear()
        flash(_("Your session expired; please log in again."))
        return None
    user = web_sessions.user_of(get_session(), session["key"])
    if user is None:  # logged out, a new password, disabled, signed out everywhere
        session.clear()
        return None
    session["seen"] = stamp
    return user


def _gate():
    if request.endpoint in PUBLIC or request.blueprint == "api" or request.path.startswith("/api/"):
        return None  # the API authenticates its own requests by token (and its unknown paths are 404 JSON)
    user = _session_user()
    if user is None:
        wanted = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=wanted))
    g.user = user
    g.viewer = Viewer.of(get_session(), user)
    return None


def init_app(app: Flask) -> None:
    app.before_request(_gate)


def local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: the `next` of a login may only
    lead back here. Browsers drop tabs and newlines from a URL and read a backslash as a
    slash, so "/<tab>/evil.example" or "/<backslash>evil.example" would leave the site: a
    control character or backslash refuses the target, as does anything but one leading slash."""
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in target):
        return None
    return target


def home_for(user: User) -> str:
    return url_for("me.day") if user.role == "technician" else url_for("board.board")


@bp.route("/login", methods=["GET", "POST"])
@per_address
@per_account
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(get_session(), form.username.data or "", form.password.data or "")  # (required fields)
        if user is None:
            # types-WTForms calls errors a Sequence; after validate() it is WTForms' list
            form.password.errors.append("That username and password do not match an active user.")  # type: ignore[attr-defined]
        else:
            key = web_sessions.start(get_session(), user, now(), current_app.config["PERMANENT_SESSION_LIFETIME"])
            get_session().commit()
            session.clear()
            session.permanent = True
            stamp = now().timestamp()
            session.update(key=key, since=stamp, seen=stamp)
            return redirect(local_path(request.args.get("next")) or home_for(user))
    return render_template("login.html", form=form), 200 if not form.errors else 401


@bp.route("/favicon.ico")
def favicon():
    return "", 204


@bp.route("/logout", methods=["POST"])
def logout():
    if session.get("key"):
        web_sessions.end(get_session(), session["key"], now())
        get_session().commit()
    session.clear()
    flash(_("Logged out."))
    return redirect(url_for("auth.login"))


@bp.route("/")
def home():
    return redirect(home_for(g.user))


__all__ = ["NotAllowed", "bp", "now", "payroll", "requires", "settings", "viewer"]
