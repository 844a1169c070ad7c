"""The lights, tones and buttons, on gpiozero's MockFactory pins: each outcome has its
own pattern, so a kiosk without a screen still says what happened."""

from __future__ import annotations

import time

import pytest
from gpiozero.pins.mock import MockFactory

from depotclock.punch_states import Option
from kiosk.feedback import FeedbackPins, Signals

PINS = FeedbackPins()


@pytest.fixture
def factory():
    factory = MockFactory()
    yield factory
    factory.reset()


@pytest.fixture
def signals(factory):
    pressed: list[Option] = []
    signals = Signals(PINS, pressed.append, pin_factory=factory)
    signals.pressed = pressed
    yield signals
    signals.close()


class About:
    """A duration as a pattern means it: within a scheduling hiccup of a busy machine."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def __eq__(self, other) -> bool:
        return other is not None and abs(other - self.seconds) < 0.3

    def __repr__(self) -> str:
        return f"~{self.seconds}s"


def _pattern(factory, pin: int, settle: float) -> list[tuple[bool, float | None]]:
    """The pin's states after the pattern has played, with each state's duration."""
    time.sleep(settle)
    states = factory.pin(pin).states
    return [
        (state.state, after.timestamp - state.timestamp if after else None)
        for state, after in zip(states[1:], [*states[2:], None])
    ]


def test_accepted_is_green_for_a_moment_and_one_short_beep(factory, signals):
    signals.accepted()
    assert _pattern(factory, PINS.green_led, 1.7) == [(True, About(1.5)), (False, None)]
    assert _pattern(factory, PINS.buzzer, 0) == [(True, About(0.08)), (False, None)]
    assert _pattern(factory, PINS.red_led, 0) == []


def test_refused_is_red_and_one_long_low_beep(factory, signals):
    signals.refused()
    assert _pattern(factory, PINS.red_led, 2.2) == [(True, About(2.0)), (False, None)]
    assert _pattern(factory, PINS.buzzer, 0) == [(True, About(0.6)), (False, None)]


def test_unreadable_card_flickers_red_three_times_with_three_quick_beeps(factory, signals):
    signals.unreadable()
    red = _pattern(factory, PINS.red_led, 0.8)
    assert [state for state, _ in red] == [True, False] * 3
    assert [state for state, _ in _pattern(factory, PINS.buzzer, 0)] == [True, False] * 3


def test_a_question_blinks_green_until_answered_and_beeps_twice(factory, signals):
    signals.asking()
    time.sleep(1.2)
    assert len(factory.pin(PINS.green_led).states) >= 5  # still blinking
    assert [state for state, _ in _pattern(factory, PINS.buzzer, 0)] == [True, False, True, False]
    signals.accepted()  # the answer ends the blinking
    time.sleep(1.7)
    assert factory.pin(PINS.green_led).state is False


def test_double_read_is_two_green_flickers_and_silence(factory, signals):
    signals.double_read()
    assert [state for state, _ in _pattern(factory, PINS.green_led, 0.6)] == [True, False, True, False]
    assert _pattern(factory, PINS.buzzer, 0) == []


def test_idle_shows_a_dead_reader_steady_red_and_offline_as_a_red_wink(factory, signals):
    signals.idle(reader_ok=False, online=True)
    assert factory.pin(PINS.red_led).state is True
    signals.idle(reader_ok=True, online=False)
    time.sleep(0.3)
    assert [state for state, _ in _pattern(factory, PINS.red_led, 0)][-2:] == [True, False]
    signals.idle(reader_ok=True, online=True)
    assert factory.pin(PINS.red_led).state is False


def test_each_button_answers_with_its_option(factory, signals):
    for _option, pin in PINS.buttons.items():
        factory.pin(pin).drive_low()  # pressed: the button pulls the pin to ground
        factory.pin(pin).drive_high()
        time.sleep(0.06)  # past the debounce
    assert signals.pressed == list(PINS.buttons)
