"""Malformed payloads of every kind are a WireError naming the field, never another error."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depotclock.wire.codec import MAX_PAYLOAD, PARSERS, encode
from depotclock.wire.errors import WireError
from depotclock.wire.messages import MAX_BATCH
from tests.unit.wire.strategies import BY_KIND, any_message, punches

KINDS = sorted(PARSERS)


def _rejected(kind: str, payload: bytes | str) -> WireError:
    with pytest.raises(WireError) as info:
        PARSERS[kind](payload)
    return info.value


@settings(max_examples=300)
@given(st.sampled_from(KINDS), st.binary(max_size=300))
def test_random_bytes(kind, payload):
    _rejected(kind, payload)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(any_message, st.data())
def test_every_truncation_of_a_valid_message(message, data):
    payload = encode(message)
    cut = data.draw(st.integers(0, len(payload) - 1))
    _rejected(message.kind, payload[:cut])


def _fields(document: dict, prefix=()):
    for key, value in document.items():
        yield prefix + (key,)
        if isinstance(value, dict):
            yield from _fields(value, prefix + (key,))


def _without(document: dict, path: tuple) -> dict:
    copy = json.loads(json.dumps(document))
    target = copy
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return copy


def _replaced(document: dict, path: tuple, value) -> dict:
    copy = json.loads(json.dumps(document))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copy


OPTIONAL = {"v", "kind", "break_kind", "tech", "reader_ok", "reader_error", "backlog",
            "clock_synced", "connected_at", "lost", "ask_break_kind", "auto_clock_out_after_h", "ignition_on",
            "gps_ok", "gps_error", "obd_ok", "obd_error", "odometer_km", "stored", "dead_letters",
            "pin", "pin_hash", "depot_name", "pin_lockouts", "pin_locked"}


@settings(max_examples=100)
@given(any_message)
def test_each_required_field_removed(message):
    document = json.loads(encode(message))
    for path in _fields(document):
        if path[-1] in OPTIONAL:
            continue
        error = _rejected(message.kind, json.dumps(_without(document, path)))
        assert path[-1] in str(error)


WRONG_TYPES = [None, "text", 12345678901234567890, -1, 1.5, [], {}, True]
FREE_TEXT = {"raw", "boot", "name", "reader_error"}


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@settings(max_examples=60)
@given(any_message, st.sampled_from(WRONG_TYPES))
def test_each_field_given_a_wrong_type(message, wrong):
    document = json.loads(encode(message))
    for path in _fields(document):
        value = document
        for key in path:
            value = value[key]
        if type(value) is type(wrong) or (path[-1] in OPTIONAL and wrong is None):
            continue
        if path[-1] in FREE_TEXT and isinstance(wrong, str):
            continue  # any string is a value
        if _number(value) and _number(wrong):
            continue  # numbers are checked by range elsewhere
        try:
            PARSERS[message.kind](json.dumps(_replaced(document, path, wrong)))
        except WireError as error:
            assert str(error).startswith(message.kind)
        else:
            pytest.fail(f"{message.kind}: {'.'.join(path)} = {wrong!r} was accepted")


@pytest.mark.parametrize(
    "at, problem",
    [
        ("2026-03-02T07:00:00", "timezone"),  # naive
        ("1970-01-01T00:00:00Z", "possible instant"),  # an unset clock
        ("2200-01-01T00:00:00+00:00", "possible instant"),
        ("2026-02-30T07:00:00-06:00", "day value"),  # no 30 February
        ("2026-03-02T25:00:00-06:00", "hour"),
        ("-06:00", "datetime"),  # an offset without a time
        ("", "datetime"),
        (1772456400, "datetime"),  # epoch seconds are not the contract
    ],
)
@given(message=punches)
@settings(max_examples=5)
def test_impossible_timestamps(message, at, problem):
    document = json.loads(encode(message))
    error = _rejected("punch", json.dumps({**document, "at": at}))
    assert error.field == "at"
    assert problem in str(error)


@pytest.mark.parametrize(
    "badge_id",
    ["deadbeef", "DEADBEEFAA", "DEADBEEF22", "DEADBEEF" * 3, "W", "W12a", "", "DE AD BE EF"],
)
@given(message=punches)
@settings(max_examples=3)
def test_bad_badge_ids(message, badge_id):
    document = json.loads(encode(message))
    error = _rejected("punch", json.dumps(_replaced(document, ("badge", "id"), badge_id)))
    assert error.field == "badge.id"


@pytest.mark.parametrize("device", ["", "a/b", "a+b", "a#", "x" * 65, " k1", "-k1"])
@given(message=punches)
@settings(max_examples=3)
def test_bad_device_ids(message, device):
    document = json.loads(encode(message))
    assert _rejected("punch", json.dumps({**document, "device": device})).field == "device"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(number):
    fix = (
        '{"v":1,"id":"9a1c4e52-4b8b-4a44-9d3c-8e3f3f6f9b10","device":"van-1","seq":1,'
        '"at":"2026-03-02T13:00:00Z","kind":"telemetry","items":[{"type":"fix",'
        '"id":"0b6c1f0e-6c43-4d7e-a1f4-1f1f8a0f4c2e","seq":1,"at":"2026-03-02T13:00:00Z",'
        f'"lat":{number},"lon":-87.6,"speed_kmh":0}}]}}'
    )
    error = _rejected("telemetry", fix)
    assert "lat" in str(error) or "JSON" in str(error)


def test_oversize_payload():
    error = _rejected("telemetry", b" " * (MAX_PAYLOAD + 1))
    assert "limit" in str(error)


@given(message=BY_KIND["telemetry"])
@settings(max_examples=5, deadline=None)  # a batch of 1,001 items, on a shared machine
def test_empty_and_oversize_telemetry_batches(message):
    document = json.loads(encode(message))
    assert _rejected("telemetry", json.dumps({**document, "items": []})).field == "items"
    ignition = {"type": "ignition", "id": document["id"], "seq": 1, "at": document["at"], "on": True}
    items = [ignition] * (MAX_BATCH + 1)
    assert _rejected("telemetry", json.dumps({**document, "items": items})).field == "items"


@given(any_message)
@settings(max_examples=50)
def test_a_payload_of_another_kind_is_refused(message):
    other = next(kind for kind in KINDS if kind != message.kind)
    _rejected(other, encode(message))
