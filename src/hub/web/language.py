"""The language of each page: the technician's own choice (Technician.language), else the
browser's Accept-Language among those we have, else English (Flask-Babel, hub.translations).
The office's pages (supervisor, payroll, admin) are in English only so far: no half-Spanish pages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Flask, g, request
from flask_babel import Babel, get_locale, gettext
from flask_babel import lazy_gettext as _l

from hub import translations
from hub.rules.approval import WeekState
from hub.rules.findings import WORDS, TimesheetException
from hub.store.models import Technician
from hub.web.db import get_session

LEVELS = {"technician": _l("technician"), "supervisor": _l("supervisor"), "payroll": _l("payroll")}  # who decides a week


def chosen() -> str:
    user = g.get("user")
    if user is not None and user.role != "technician":
        return translations.DEFAULT
    if user is not None and user.technician_id:
        technician = get_session().get(Technician, user.technician_id)
        if technician is not None and technician.language in translations.LANGUAGES:
            return technician.language
    return request.accept_languages.best_match(translations.LANGUAGES) or translations.DEFAULT


def finding(exception: TimesheetException) -> str:
    """An exception as the page's reader reads it: the rules' own sentence in English (the
    rules write English), the code's words translated in another language."""
    if str(get_locale()) == translations.DEFAULT or exception.code not in WORDS:
        return exception.message
    return gettext(WORDS[exception.code])


def spoken(at: datetime, zone: str, pattern: str = "EEE HH:mm") -> str:
    """An instant on the wall clock of `zone`, in the page's language (a CLDR pattern: "mar 07:00")."""
    return format_datetime(at, pattern, tzinfo=ZoneInfo(zone), locale=get_locale())


def week_status(state: WeekState) -> str:
    """The week's state in the technician's words (WeekState.label is the rules' English)."""
    if state.final:
        return gettext("approved")
    if state.approved:
        return gettext("approved by %(levels)s; waiting for %(level)s", levels=", ".join(state.approved), level=state.pending)
    if state.submitted:
        return gettext("submitted")
    return gettext("returned") if state.rejection else gettext("open")


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=chosen, default_translation_directories=str(translations.DIRECTORY))
    app.add_template_filter(finding)
    app.add_template_filter(spoken)
    app.add_template_global(get_locale)
    app.add_template_global(week_status)
    app.add_template_filter(lambda level: LEVELS.get(level, level), "level")
