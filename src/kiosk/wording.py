"""What the screen says after each decision, in a language of kiosk.translations (the
tapping technician's, else the kiosk's). Pure: the local time is passed in."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date

from depotclock.wire.messages import BreakKind, PunchAction
from kiosk.flow import Ask, DoubleRead, Option, Record, Unknown
from kiosk.translations import LANGUAGES, catalog


def spoken_to(decision: Record | Unknown | DoubleRead | Ask, kiosk_language: str) -> str:
    """The language to answer a tap in: the technician's (from the hub's roster) when this
    kiosk has it, else the kiosk's own."""
    tech = decision.tech if isinstance(decision, Record | Ask) else None
    return tech.language if tech is not None and tech.language in LANGUAGES else kiosk_language


def tap_your_badge(language: str) -> str:
    _ = catalog(language).gettext
    return _("Tap your badge")


def unreadable(language: str) -> str:
    _ = catalog(language).gettext
    return _("Card not read - please tap again")


def option_label(option: Option, language: str) -> str:
    _ = catalog(language).gettext
    return {Option.BREAK: _("Break"), Option.MEAL: _("Meal break"), Option.REST: _("Rest break"),
            Option.CLOCK_OUT: _("Clock out")}[option]


def _greeting(local: datetime, language: str) -> str:
    _ = catalog(language).gettext
    if local.hour < 12:
        return _("Good morning")
    return _("Good afternoon") if local.hour < 18 else _("Good evening")


def _shift_closed(clock_in: datetime, local: datetime, language: str) -> str:
    """The shift left open past the limit: closed by the hub, to be reviewed."""
    _ = catalog(language).gettext
    days, time = (local.date() - clock_in.date()).days, f"{clock_in:%H:%M}"
    if days == 0:
        return _("Today's shift from %(time)s was closed automatically and will be reviewed") % {"time": time}
    if days == 1:
        return _("Yesterday's shift from %(time)s was closed automatically and will be reviewed") % {"time": time}
    weekday = format_date(clock_in.date(), "EEEE", locale=language)
    return _("%(weekday)s's shift from %(time)s was closed automatically and will be reviewed") % {
        "weekday": weekday, "time": time}


def wrong_pin(language: str) -> str:
    _ = catalog(language).gettext
    return _("Wrong ID or PIN - try again, or ask your supervisor")


def pin_locked(seconds: float, language: str) -> str:
    _ = catalog(language).gettext
    minutes = max(1, round(seconds / 60))
    return _("Too many wrong PINs for this ID - locked for %(minutes)s min; use your badge or ask your supervisor") % {
        "minutes": minutes}


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def say(decision: Record | Unknown | DoubleRead | Ask, local: datetime, language: str) -> str:
    """One line for the screen; `local` is the tap's instant in the depot's zone."""
    _ = catalog(language).gettext
    hhmm = f"{local:%H:%M}"
    if isinstance(decision, Unknown):
        return _("Badge not recognised - ask your supervisor")
    if isinstance(decision, DoubleRead):
        return _("Already recorded - no need to tap twice")
    name = first_name(decision.tech.name)
    if isinstance(decision, Ask):
        choices = (" " + _("or") + " ").join(option_label(o, language) for o in decision.options)
        return _("%(name)s: %(choices)s? (%(default)s if you do not choose)") % {
            "name": name, "choices": choices, "default": option_label(decision.default, language)}
    action, said = decision.action, {"time": hhmm, "name": name}
    if action is PunchAction.CLOCK_IN:
        greeting = _("Clocked in %(time)s - %(greeting)s, %(name)s") % {**said, "greeting": _greeting(local, language)}
        closed = decision.tech.closed_shift
        if closed is None:
            return greeting
        return f"{greeting}. {_shift_closed(closed.astimezone(local.tzinfo), local, language)}"
    if action is PunchAction.BREAK_END:
        return _("Break ended %(time)s - welcome back, %(name)s") % said
    if action is PunchAction.BREAK_START:
        kind = Option.BREAK if decision.break_kind is None else {
            BreakKind.MEAL: Option.MEAL, BreakKind.REST: Option.REST}.get(decision.break_kind, Option.BREAK)
        return _("%(kind)s from %(time)s - enjoy it, %(name)s") % {**said, "kind": option_label(kind, language)}
    return _("Clocked out %(time)s - see you next time, %(name)s") % said
