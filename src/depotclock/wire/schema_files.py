"""The JSON Schema of each message kind, shipped in `wire/schemas/` for device makers.

Regenerate after changing a message: `python -m depotclock.wire.schema_files`.
"""

from __future__ import annotations

import json
from pathlib import Path

from depotclock.wire.messages import MESSAGE_TYPES

SCHEMA_DIR = Path(__file__).with_name("schemas")


def schema_text(kind: str) -> str:
    schema = MESSAGE_TYPES[kind].model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://depotclock.org/schemas/v1/{kind}.json"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(exist_ok=True)
    written = []
    for kind in MESSAGE_TYPES:
        path = directory / f"{kind}.json"
        path.write_text(schema_text(kind))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_schemas():
        print(path)
