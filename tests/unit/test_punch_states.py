"""The one state machine of the kiosk and the phone: which punches each state opens."""

from __future__ import annotations

import pytest

from depotclock.punch_states import NotNow, check_step, open_steps
from depotclock.wire.messages import BreakKind, PunchAction, TechState

IN, OUT = (PunchAction.CLOCK_IN, None), (PunchAction.CLOCK_OUT, None)
BREAK, MEAL, REST = (PunchAction.BREAK_START, None), (PunchAction.BREAK_START, BreakKind.MEAL), \
    (PunchAction.BREAK_START, BreakKind.REST)
END = (PunchAction.BREAK_END, None)


@pytest.mark.parametrize(("state", "ask_break_kind", "buttons"), [
    (TechState.OFF, False, (IN,)),
    (TechState.ON_BREAK, True, (END,)),
    (TechState.WORKING, False, (BREAK, OUT)),
    (TechState.WORKING, True, (MEAL, REST, OUT)),  # California: meal or rest
])
def test_each_state_opens_the_buttons_the_kiosk_offers(state, ask_break_kind, buttons):
    assert open_steps(state, ask_break_kind) == buttons
    for step in buttons:
        assert check_step(state, ask_break_kind, step) == step


def test_a_plain_break_is_taken_where_meal_or_rest_is_asked_and_a_meal_where_it_is_not():
    assert check_step(TechState.WORKING, True, BREAK) == BREAK
    assert check_step(TechState.WORKING, False, MEAL) == MEAL


@pytest.mark.parametrize(("state", "step", "says"), [
    (TechState.OFF, OUT, "off the clock: you can clock in"),
    (TechState.WORKING, IN, "at work: you can start a break or clock out"),
    (TechState.ON_BREAK, MEAL, "on a break: you can end your break"),
])
def test_a_punch_the_state_does_not_open_is_refused_saying_what_is(state, step, says):
    with pytest.raises(NotNow, match=says):
        check_step(state, False, step)
