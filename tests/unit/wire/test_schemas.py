"""The shipped JSON Schemas match the parsers: same shapes accepted, and the parser at least
as strict (it also checks the 2000-2100 instant range, which a schema cannot say)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from depotclock.wire.codec import PARSERS, encode
from depotclock.wire.errors import WireError
from depotclock.wire.messages import MESSAGE_TYPES
from depotclock.wire.schema_files import SCHEMA_DIR, schema_text
from tests.unit.wire.strategies import BY_KIND, any_message

VALIDATORS = {
    kind: Draft202012Validator(
        json.loads((SCHEMA_DIR / f"{kind}.json").read_text()),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    for kind in MESSAGE_TYPES
}


@pytest.mark.parametrize("kind", sorted(MESSAGE_TYPES))
def test_shipped_schema_matches_the_model(kind):
    shipped = (SCHEMA_DIR / f"{kind}.json").read_text()
    assert shipped == schema_text(kind), "run `python -m depotclock.wire.schema_files` and commit the result"
    Draft202012Validator.check_schema(json.loads(shipped))


@settings(max_examples=200)
@given(any_message)
def test_every_valid_message_meets_its_schema(message):
    VALIDATORS[message.kind].validate(json.loads(encode(message)))


def _mutations(document: dict):
    """Documents one edit away from a valid one: a field dropped or given another value."""
    values = st.sampled_from([None, "", "x", 0, -1, 1.5, True, [], {}, "2026-13-01T00:00:00Z"])
    keys = st.sampled_from(sorted(document))
    drop = keys.map(lambda k: {key: v for key, v in document.items() if key != k})
    replace = st.tuples(keys, values).map(lambda kv: {**document, kv[0]: kv[1]})
    return drop | replace


@settings(max_examples=300)
@given(st.data())
def test_whatever_the_schema_refuses_the_parser_refuses(data):
    kind = data.draw(st.sampled_from(sorted(BY_KIND)))
    document = json.loads(encode(data.draw(BY_KIND[kind])))
    mutated = data.draw(_mutations(document))
    if VALIDATORS[kind].is_valid(mutated):
        return
    with pytest.raises(WireError):
        PARSERS[kind](json.dumps(mutated))
