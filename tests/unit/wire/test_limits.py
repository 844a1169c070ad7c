"""The limits a device must keep to (docs/protocol.md, Limits): size, nesting, numbers the
store holds, printable text. Each is a WireError naming the field, never another error
(issue 22: each of these crashed ingest on PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from depotclock.wire.codec import MAX_DEPTH, MAX_PAYLOAD, PARSERS, check_shape, encode, parse_device_message
from depotclock.wire.errors import WireError
from depotclock.wire.messages import INT32_MAX, INT64_MAX, one_line
from tests.unit.wire.strategies import any_message, kiosk_statuses, punches, telemetry, unknown_badges


def _rejected(kind: str, payload: bytes | str) -> WireError:
    with pytest.raises(WireError) as info:
        PARSERS[kind](payload)
    return info.value


def _document(message) -> dict:
    return json.loads(encode(message))


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 1_000, 50_000, 100_000])
def test_json_nested_deeper_than_the_limit_is_refused_before_parsing(levels):
    error = _rejected("punch", b"[" * levels + b"]" * levels)
    assert error.field == "(payload)" and f"deeper than {MAX_DEPTH}" in error.problem


@pytest.mark.parametrize("levels", [1_000, 100_000])
@settings(max_examples=10, deadline=None)
@given(message=punches)
def test_deep_json_in_an_unknown_field_of_a_valid_punch(levels, message):
    payload = encode(message)[:-1] + b',"extra":' + b"[" * levels + b"]" * levels + b"}"
    assert _rejected("punch", payload).field == "(payload)"


@settings(max_examples=10, deadline=None)
@given(message=punches)
def test_nesting_up_to_the_limit_in_an_unknown_field_is_accepted(message):
    """A newer device's extra fields may nest (the message's own object is one level)."""
    inner = MAX_DEPTH - 1
    payload = encode(message)[:-1] + b',"extra":' + b"[" * inner + b"]" * inner + b"}"
    assert PARSERS["punch"](payload) == message


def test_brackets_inside_strings_do_not_count():
    deep = "[" * 1000 + '\\"{' * 50
    assert check_shape("punch", json.dumps({"note": deep}).encode())


def test_a_payload_over_the_size_limit():
    error = _rejected("telemetry", b" " * (MAX_PAYLOAD + 1))
    assert error.field == "(payload)" and str(MAX_PAYLOAD) in error.problem


@pytest.mark.parametrize("seq", [2**31, 2**53 + 1, 2**63, 10**30])
@settings(max_examples=5, deadline=None)
@given(message=st.one_of(punches, unknown_badges))
def test_a_journal_entry_seq_beyond_its_integer_column(seq, message):
    """punches.seq is an INTEGER column (32 bits signed)."""
    document = _document(message) | {"seq": seq}
    assert _rejected(message.kind, json.dumps(document)).field == "seq"


@pytest.mark.parametrize("seq", [2**31, 2**53 + 1, 2**63, 10**30])
@settings(max_examples=5, deadline=None)
@given(message=telemetry)
def test_a_telemetry_item_seq_beyond_its_integer_column(seq, message):
    document = _document(message)
    document["items"][-1]["seq"] = seq
    error = _rejected("telemetry", json.dumps(document))
    assert error.field.startswith("items.") and error.field.endswith(".seq")


@settings(max_examples=5, deadline=None)
@given(message=telemetry)
def test_the_largest_seq_a_column_holds_is_accepted(message):
    document = _document(message)
    document["items"][0]["seq"] = INT32_MAX
    assert PARSERS["telemetry"](json.dumps(document)).items[0].seq == INT32_MAX


@pytest.mark.parametrize("seq", [2**63, 10**30])
@settings(max_examples=5, deadline=None)
@given(message=kiosk_statuses)
def test_an_envelope_seq_beyond_64_bits(seq, message):
    assert _rejected("kiosk_status", json.dumps(_document(message) | {"seq": seq})).field == "seq"


@pytest.mark.parametrize("backlog", [2**31, 2**40])
@settings(max_examples=5, deadline=None)
@given(message=kiosk_statuses)
def test_a_status_backlog_beyond_its_integer_column(backlog, message):
    assert _rejected("kiosk_status", json.dumps(_document(message) | {"backlog": backlog})).field == "backlog"


def _set(document: dict, path: str, value) -> dict:
    target = document
    *parents, last = path.split(".")
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    target[last] = value
    return document


TEXT_FIELDS = [
    (punches, "badge.raw"), (punches, "clock.boot"), (unknown_badges, "badge.raw"),
    (unknown_badges, "clock.boot"), (kiosk_statuses, "reader_error"),
]
CONTROL = ["\x00", "a\x00b", "line\nbreak", "\x1b[31m", "\x7f", "\x85"]


@pytest.mark.parametrize("strategy, path", TEXT_FIELDS)
@pytest.mark.parametrize("bad", CONTROL)
@settings(max_examples=3, deadline=None)
@given(data=st.data())
def test_control_characters_in_stored_text_are_refused(strategy, path, bad, data):
    message = data.draw(strategy)
    error = _rejected(message.kind, json.dumps(_set(_document(message), path, bad)))
    assert error.field == path


@pytest.mark.parametrize("bad", CONTROL)
@settings(max_examples=3, deadline=None)
@given(message=telemetry)
def test_control_characters_in_a_cab_badge_read(bad, message):
    document = _document(message)
    document["items"] = [{"type": "driver", "id": "7d1e8c5e-6d59-4b6c-9a62-2f5f0d1f2a11", "seq": 1,
                          "at": "2026-03-02T07:00:00Z", "badge": {"id": "04A1B2C3", "family": "pcsc", "raw": bad}}]
    assert _rejected("telemetry", json.dumps(document)).field == "items.0.driver.badge.raw"


@settings(max_examples=3, deadline=None)
@given(message=punches)
def test_a_device_id_with_a_nul_on_its_topic_is_refused(message):
    with pytest.raises(WireError):
        parse_device_message("depotclock/v1/kiosk/k\x001/punch", encode(message))


def test_one_line_makes_any_text_acceptable():
    assert one_line("reader gone:\n\tENODEV\x00", 500) == "reader gone: ENODEV "
    assert len(one_line("x" * 600, 500)) == 500


@settings(max_examples=200, deadline=None)
@given(any_message)
def test_every_valid_message_is_within_the_limits(message):
    assert PARSERS[message.kind](encode(message)) == message


def test_limits_fit_the_store():
    assert INT32_MAX == 2**31 - 1 and INT64_MAX == 2**63 - 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(st.sampled_from('[]{}"\\ab\n'), max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(st.sampled_from('[]{}"\\a'), max_size=4),
                                                                inner, max_size=3),
    max_leaves=60,
)


def _depth(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(json_values, st.integers(0, 20))
def test_the_nesting_scan_agrees_with_the_documents_depth(value, wrap):
    """Brackets and escaped quotes inside strings, as keys or values, never fool the scan."""
    for _ in range(wrap):
        value = [value] if wrap % 2 else {"k]": value}
    payload = json.dumps(value).encode()
    if _depth(value) > MAX_DEPTH:
        with pytest.raises(WireError):
            check_shape("punch", payload)
    else:
        assert check_shape("punch", payload) == payload
