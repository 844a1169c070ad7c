"""Ignition debouncing: chatter, cranking dips and quick restarts are one trip."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from gpiozero.pins.mock import MockFactory

from firmware.ignition import IgnitionChange, IgnitionDebouncer, IgnitionSensor

T0 = datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)


def s(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def run(edges: list[tuple[float, bool]], until: float, **settings) -> list[IgnitionChange]:
    """Feed edges at their instants, ticking every 50 ms, and collect what is reported."""
    debouncer = IgnitionDebouncer(**settings)
    reported, pending = [], sorted(edges)
    t = 0.0
    while t <= until:
        while pending and pending[0][0] <= t:
            at, on = pending.pop(0)
            debouncer.edge(on, s(at))
        if change := debouncer.tick(s(t)):
            reported.append(change)
        t = round(t + 0.05, 2)
    return reported


def test_contact_chatter_is_one_on_at_the_instant_the_line_settled():
    edges = [(1.0, True), (1.02, False), (1.05, True), (1.07, False), (1.1, True)]
    assert run(edges, 3) == [IgnitionChange(True, s(1.1))]


def test_a_cranking_dip_is_not_an_off():
    edges = [(1.0, True), (5.0, False), (5.8, True)]  # the starter pulls the line down
    assert run(edges, 60) == [IgnitionChange(True, s(1.0))]


def test_a_quick_restart_is_one_trip():
    edges = [(1.0, True), (100.0, False), (110.0, True)]  # off for 10 s, under the hold
    assert run(edges, 200) == [IgnitionChange(True, s(1.0))]


def test_a_real_off_is_reported_with_the_instant_it_happened():
    edges = [(1.0, True), (100.0, False)]
    assert run(edges, 200) == [IgnitionChange(True, s(1.0)), IgnitionChange(False, s(100.0))]


def test_off_hold_is_a_setting():
    edges = [(1.0, True), (100.0, False), (110.0, True)]
    reported = run(edges, 200, off_hold_s=5)
    assert [c.on for c in reported] == [True, False, True]


@pytest.fixture
def factory():
    factory = MockFactory()
    yield factory
    factory.reset()


def test_the_optocoupler_pin_drives_the_debouncer(factory):
    clock = [s(0)]
    sensor = IgnitionSensor(23, IgnitionDebouncer(bounce_s=0.2, off_hold_s=5), lambda: clock[0], factory)
    pin = factory.pin(23)
    clock[0] = s(1)
    pin.drive_low()  # the optocoupler conducts: ignition on
    assert sensor.poll() is None
    clock[0] = s(1.3)
    assert sensor.poll() == IgnitionChange(True, s(1))
    clock[0] = s(10)
    pin.drive_high()
    clock[0] = s(12)
    assert sensor.poll() is None
    clock[0] = s(15.5)
    assert sensor.poll() == IgnitionChange(False, s(10))
    sensor.close()
