"""Every JSON example in docs/protocol.md parses with the parser for its kind."""

from __future__ import annotations

import json
import re
from pathlib import Path

from depotclock.wire.codec import PARSERS

DOC = Path(__file__).parents[3] / "docs" / "protocol.md"


def test_every_example_parses():
    examples = re.findall(r"```json\n(.*?)```", DOC.read_text(), re.S)
    kinds = [json.loads(example)["kind"] for example in examples]
    assert sorted(kinds) == sorted(PARSERS), "document one example of every kind"
    for example in examples:
        PARSERS[json.loads(example)["kind"]](example)
