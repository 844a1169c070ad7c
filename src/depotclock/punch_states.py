"""What a tap or a button means, the one state machine of every time clock: the kiosk's
flow and the technician's phone both ask it. Pure: a technician's state in, the punches
open to them out.

Off the clock, the one punch is a clock-in; on a break, its end; at work, a choice of
Break or Clock out (Meal, Rest or Clock out where the policy needs the difference). A plain
Break where Meal or Rest is asked is a break of unstated kind, which the hub classifies by
its length; a Meal or Rest where the policy does not ask is taken as said.
"""

from __future__ import annotations

from enum import StrEnum

from depotclock.wire.messages import BreakKind, PunchAction, TechState


class Option(StrEnum):
    """An answer to "Break or Clock out?"."""

    BREAK = "break"
    MEAL = "meal"
    REST = "rest"
    CLOCK_OUT = "clock_out"


Step = tuple[PunchAction, BreakKind | None]  # a punch's action and, for a break, its kind

MEANING: dict[Option, Step] = {
    Option.BREAK: (PunchAction.BREAK_START, None),
    Option.MEAL: (PunchAction.BREAK_START, BreakKind.MEAL),
    Option.REST: (PunchAction.BREAK_START, BreakKind.REST),
    Option.CLOCK_OUT: (PunchAction.CLOCK_OUT, None),
}
ONE_STEP: dict[TechState, Step] = {
    TechState.OFF: (PunchAction.CLOCK_IN, None),
    TechState.ON_BREAK: (PunchAction.BREAK_END, None),
}


SAID = {PunchAction.CLOCK_IN: "clock in", PunchAction.CLOCK_OUT: "clock out",
        PunchAction.BREAK_START: "start a break", PunchAction.BREAK_END: "end your break"}
STATE_SAID = {TechState.OFF: "off the clock", TechState.WORKING: "at work", TechState.ON_BREAK: "on a break"}


class NotNow(ValueError):
    """A punch the technician's state does not allow (a clock-out while off the clock)."""


def answers(ask_break_kind: bool) -> tuple[Option, ...]:
    """The answers offered to a technician at work (off the clock or on a break a tap is
    the one punch in ONE_STEP)."""
    return (Option.MEAL, Option.REST, Option.CLOCK_OUT) if ask_break_kind else (Option.BREAK, Option.CLOCK_OUT)


def accepts(offered: tuple[Option, ...], option: Option) -> bool:
    """Whether `option` answers a question that offered `offered`."""
    return option in offered or (option is Option.BREAK and Option.MEAL in offered)


def open_steps(state: TechState, ask_break_kind: bool) -> tuple[Step, ...]:
    """Every punch the technician may make now, as buttons show them."""
    one = ONE_STEP.get(state)
    return (one,) if one else tuple(MEANING[o] for o in answers(ask_break_kind))


def check_step(state: TechState, ask_break_kind: bool, step: Step) -> Step:
    """`step` if the state allows it, else NotNow. At work a break of any kind, or none
    stated, is open, whatever the buttons ask."""
    allowed = open_steps(state, ask_break_kind)
    if step in allowed or (step[0] is PunchAction.BREAK_START and state is TechState.WORKING):
        return step
    wanted = " or ".join(SAID[a] + (f" ({k.value})" if k else "") for a, k in allowed)
    raise NotNow(f"{STATE_SAID[state]}: you can {wanted}")
