"""What the screen says after each decision. Pure: the local time is passed in."""

from __future__ import annotations

from datetime import datetime

from depotclock.wire.messages import BreakKind, PunchAction
from kiosk.flow import Ask, DoubleRead, Option, Record, Unknown

UNKNOWN_BADGE = "Badge not recognised - ask your supervisor"
UNREADABLE = "Card not read - please tap again"
WRONG_PIN = "Wrong ID or PIN - try again, or ask your supervisor"
OPTION_LABELS = {
    Option.BREAK: "Break", Option.MEAL: "Meal break", Option.REST: "Rest break",
    Option.CLOCK_OUT: "Clock out",
}


def _greeting(local: datetime) -> str:
    if local.hour < 12:
        return "Good morning"
    return "Good afternoon" if local.hour < 18 else "Good evening"


def _shift_closed(clock_in: datetime, local: datetime) -> str:
    """The shift left open past the limit: closed by the hub, to be reviewed."""
    days = (local.date() - clock_in.date()).days
    day = {0: "Today's", 1: "Yesterday's"}.get(days, f"{clock_in:%A}'s")
    return f"{day} shift from {clock_in:%H:%M} was closed automatically and will be reviewed"


def pin_locked(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return f"Too many wrong PINs for this ID - locked for {minutes} min; use your badge or ask your supervisor"


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def say(decision: Record | Unknown | DoubleRead | Ask, local: datetime) -> str:
    """One line for the screen; `local` is the tap's instant in the depot's zone."""
    hhmm = f"{local:%H:%M}"
    if isinstance(decision, Unknown):
        return UNKNOWN_BADGE
    if isinstance(decision, DoubleRead):
        return "Already recorded - no need to tap twice"
    name = first_name(decision.tech.name)
    if isinstance(decision, Ask):
        choices = " or ".join(OPTION_LABELS[o] for o in decision.options)
        return f"{name}: {choices}? ({OPTION_LABELS[decision.default]} if you do not choose)"
    action = decision.action
    if action is PunchAction.CLOCK_IN:
        greeting = f"Clocked in {hhmm} - {_greeting(local)}, {name}"
        closed = decision.tech.closed_shift
        if closed is None:
            return greeting
        return f"{greeting}. {_shift_closed(closed.astimezone(local.tzinfo), local)}"
    if action is PunchAction.BREAK_END:
        return f"Break ended {hhmm} - welcome back, {name}"
    if action is PunchAction.BREAK_START:
        kind = "Break" if decision.break_kind is None else {
            BreakKind.MEAL: "Meal break", BreakKind.REST: "Rest break"}.get(decision.break_kind, "Break")
        return f"{kind} from {hhmm} - enjoy it, {name}"
    return f"Clocked out {hhmm} - see you next time, {name}"
