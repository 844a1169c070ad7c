"""LEDs, buzzer and buttons through gpiozero: what the technician sees, hears and presses.

Without a screen the lights and tones carry the same meaning:
- accepted: green for 1.5 s, one short beep;
- a question (Break or Clock out?): green blinking, two short beeps;
- refused (unknown badge): red for 2 s, one long low beep;
- card not read: red flickers three times, three quick beeps;
- double read: two green flickers, silent;
- idle: red steady while the reader is down, a red wink every 3 s while the hub is
  unreachable, dark otherwise.
Pins come from settings and the pin factory is passed in (tests use gpiozero's MockFactory).
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

from depotclock.punch_states import Option


class FeedbackPins(BaseModel):
    """BCM pin numbers; a button per option the kiosk may offer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    green_led: int = Field(default=17, ge=0, le=53)
    red_led: int = Field(default=27, ge=0, le=53)
    buzzer: int = Field(default=22, ge=0, le=53)
    buttons: dict[Option, int] = Field(
        default_factory=lambda: {Option.BREAK: 5, Option.CLOCK_OUT: 6, Option.MEAL: 13, Option.REST: 19}
    )


class Signals:
    def __init__(self, pins: FeedbackPins, on_press: Callable[[Option], None], pin_factory=None):
        from gpiozero import LED, Button, Buzzer

        self.green = LED(pins.green_led, pin_factory=pin_factory)
        self.red = LED(pins.red_led, pin_factory=pin_factory)
        self.buzzer = Buzzer(pins.buzzer, pin_factory=pin_factory)
        self.buttons = []
        for option, pin in pins.buttons.items():
            button = Button(pin, pull_up=True, bounce_time=0.05, pin_factory=pin_factory)
            button.when_pressed = lambda _device=None, option=option: on_press(option)
            self.buttons.append(button)
        self._idle: tuple[bool, bool] | None = (True, True)

    def accepted(self) -> None:
        self.green.blink(on_time=1.5, off_time=0, n=1)
        self.buzzer.beep(on_time=0.08, off_time=0, n=1)

    def asking(self) -> None:
        self.green.blink(on_time=0.25, off_time=0.25)
        self.buzzer.beep(on_time=0.08, off_time=0.08, n=2)

    def refused(self) -> None:
        self.green.off()
        self._idle = None  # the red LED is ours for now; `idle` takes it back after
        self.red.blink(on_time=2.0, off_time=0, n=1)
        self.buzzer.beep(on_time=0.6, off_time=0, n=1)

    def unreadable(self) -> None:
        self.green.off()
        self._idle = None
        self.red.blink(on_time=0.1, off_time=0.1, n=3)
        self.buzzer.beep(on_time=0.05, off_time=0.05, n=3)

    def double_read(self) -> None:
        self.green.blink(on_time=0.1, off_time=0.1, n=2)

    def idle(self, reader_ok: bool, online: bool) -> None:
        """Show the standing condition. The kiosk calls it when nothing else is showing
        (a few seconds after the last tap); it acts only when the condition changed."""
        if (reader_ok, online) == self._idle:
            return
        self._idle = (reader_ok, online)
        self.green.off()
        if not reader_ok:
            self.red.on()
        elif not online:
            self.red.blink(on_time=0.1, off_time=2.9)
        else:
            self.red.off()

    def close(self) -> None:
        for device in (self.green, self.red, self.buzzer, *self.buttons):
            device.close()
