"""What a device encodes, the hub parses back unchanged; topics tie a payload to its device."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from depotclock.wire.codec import PARSERS, encode, parse_device_message
from depotclock.wire.errors import WireError
from depotclock.wire.topics import kiosk_topic, vehicle_topic
from tests.unit.wire.strategies import any_message, punches, telemetry


@settings(max_examples=200)
@given(any_message)
def test_encode_then_parse_gives_the_same_message(message):
    assert PARSERS[message.kind](encode(message)) == message


@given(punches)
def test_a_punch_parses_on_its_own_kiosk_topic(punch):
    assert parse_device_message(kiosk_topic(punch.device, "punch"), encode(punch)) == punch


@given(telemetry)
def test_telemetry_parses_on_its_own_vehicle_topic(batch):
    assert parse_device_message(vehicle_topic(batch.device, "telemetry"), encode(batch)) == batch


@given(punches)
def test_a_punch_on_another_devices_topic_is_refused(punch):
    with pytest.raises(WireError, match="device"):
        parse_device_message(kiosk_topic(punch.device + "x", "punch"), encode(punch))


@pytest.mark.parametrize(
    "topic",
    [
        "depotclock/v1/kiosk/k1/telemetry",  # a kiosk sends no telemetry
        "depotclock/v1/vehicle/v1/punch",  # a van sends no punches
        "depotclock/v2/kiosk/k1/punch",  # another protocol version
        "depotclock/v1/kiosk/k1/punch/extra",
        "depotclock/v1/depot/north/roster",  # the hub's own topic, not a device's
    ],
)
def test_topics_that_carry_no_device_message_are_refused(topic):
    with pytest.raises(WireError, match="topic"):
        parse_device_message(topic, b"{}")
