"""The documented event format (docs/events.md): one JSON object a line -> events."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import Enum
from typing import TypeVar

from hub.rules.events import (
    BreakKind,
    DriveLeg,
    Event,
    InvalidEvent,
    Place,
    Punch,
    PunchAction,
    WorkOrderCheck,
)

E = TypeVar("E", bound=Enum)


def _text(record: Mapping[str, object], key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value:
        raise InvalidEvent(f"'{key}' must be a non-empty string")
    return value


def _instant(record: Mapping[str, object], key: str) -> datetime:
    text = _text(record, key)
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidEvent(f"'{key}' is not an ISO 8601 date-time: {text!r}") from None
    if at.tzinfo is None:
        raise InvalidEvent(f"'{key}' has no UTC offset: {text!r}")
    return at


def _choice(record: Mapping[str, object], key: str, kind: type[E]) -> E:
    value = record.get(key)
    try:
        return kind(value)
    except ValueError:
        raise InvalidEvent(f"'{key}' must be one of {', '.join(k.value for k in kind)}") from None


def parse_event(record: object) -> Event:
    if not isinstance(record, dict):
        raise InvalidEvent("a line must be a JSON object")
    event_id, tech, kind = _text(record, "id"), _text(record, "tech"), _text(record, "type")
    if kind in PunchAction._value2member_map_:
        return Punch(event_id, tech, PunchAction(kind), _instant(record, "at"),
                     None if record.get("kind") is None else _choice(record, "kind", BreakKind))
    if kind == "drive":
        km = record.get("km", 0)
        if isinstance(km, bool) or not isinstance(km, (int, float)):
            raise InvalidEvent("'km' must be a number")
        work_order = record.get("work_order")
        if work_order is not None and not isinstance(work_order, str):
            raise InvalidEvent("'work_order' must be a string")
        return DriveLeg(event_id, tech, _instant(record, "start"), _instant(record, "end"),
                        float(km), _choice(record, "from", Place), _choice(record, "to", Place),
                        work_order)
    if kind in ("wo_check_in", "wo_check_out"):
        return WorkOrderCheck(event_id, tech, _text(record, "work_order"), _instant(record, "at"),
                              kind == "wo_check_in")
    raise InvalidEvent(f"unknown type {kind!r}")


def parse_lines(lines: Iterable[str]) -> tuple[list[Event], list[tuple[int, str]]]:
    """Events, and (line number, reason) for every line that is not one."""
    events: list[Event] = []
    errors: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            events.append(parse_event(json.loads(line)))
        except json.JSONDecodeError as exc:
            errors.append((number, f"not JSON: {exc.msg}"))
        except InvalidEvent as exc:
            errors.append((number, str(exc)))
    return events, errors
