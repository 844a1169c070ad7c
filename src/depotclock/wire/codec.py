"""Bytes to typed messages and back: one parse function per message kind."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from depotclock.wire.errors import WireError
from depotclock.wire.messages import (
    EARLIEST,
    LATEST,
    MESSAGE_TYPES,
    Envelope,
    KioskStatus,
    Message,
    Punch,
    Receipt,
    Roster,
    Telemetry,
    UnknownBadge,
    VehicleStatus,
)
from depotclock.wire.topics import parse_device_topic

MAX_PAYLOAD = 256 * 1024
# A roster holds every technician of the company with a PIN hash each (about 290 bytes a
# technician: 2,000 make 570 KiB); only the hub may publish one (broker ACL), so it may be
# larger than what devices send.
MAX_ROSTER_PAYLOAD = 8 * 1024 * 1024
# Our messages nest four levels (a telemetry batch's items' badges); unknown fields a newer
# device adds may nest deeper, up to this. Checked before parsing, so no parser recurses
# through a payload of nothing but brackets.
MAX_DEPTH = 16
M = TypeVar("M", bound=Envelope)

_NOT_STRUCTURE = bytes(c for c in range(256) if c not in b'[]{}"')
_STRING = re.compile(rb'"[^"]*"')  # once escaped backslashes and quotes are gone
_INNERMOST = re.compile(rb"\[\]|\{\}")


def check_shape(kind: str, payload: bytes | str) -> bytes | str:
    """`payload` if it is within MAX_PAYLOAD bytes (a roster: MAX_ROSTER_PAYLOAD) and
    MAX_DEPTH levels of nesting, else a WireError: a bounded scan (one pass per level, up
    to MAX_DEPTH), whatever the payload."""
    limit = MAX_ROSTER_PAYLOAD if kind == "roster" else MAX_PAYLOAD
    if len(payload) > limit:
        raise WireError(kind, "(payload)", f"{len(payload)} bytes is over the {limit} limit")
    data = payload.encode(errors="surrogatepass") if isinstance(payload, str) else payload
    if data.count(b"[") + data.count(b"{") <= MAX_DEPTH:  # most messages: cannot be deeper
        return payload
    # Escaped backslashes, then escaped quotes, then everything but quotes and brackets go:
    # what is left between two quotes was a string (or strings with nothing structural
    # between them), so `""` goes, then any string that held a bracket. C speed throughout.
    structure = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
    brackets = _STRING.sub(b"", structure.replace(b'""', b""))
    for _ in range(MAX_DEPTH):
        if not brackets:
            return payload
        brackets = _INNERMOST.sub(b"", brackets)  # one level fewer
    if brackets:
        raise WireError(kind, "(payload)", f"nested deeper than {MAX_DEPTH} levels (or brackets unmatched)")
    return payload

# topic (role, kind) -> message kind
_TOPIC_KINDS = {
    ("kiosk", "punch"): "punch",
    ("kiosk", "unknown_badge"): "unknown_badge",
    ("kiosk", "status"): "kiosk_status",
    ("vehicle", "telemetry"): "telemetry",
    ("vehicle", "status"): "vehicle_status",
}


def _kind(cls: type[Envelope]) -> str:
    kind: str = cls.model_fields["kind"].default  # every message's `kind` is a Literal with its default
    return kind


def _parse(cls: type[M], payload: bytes | str) -> M:
    check_shape(_kind(cls), payload)
    try:
        return cls.model_validate_json(payload)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = ".".join(str(p) for p in first["loc"]) or "(payload)"
        raise WireError(_kind(cls), field, _reason(first)) from None


# An instant outside messages.Instant's bounds, as pydantic states the bound (text in JSON).
_INSTANT_BOUNDS = {text for bound in (EARLIEST, LATEST)
                   for text in (str(bound), bound.isoformat().replace("+00:00", "Z"))}


def _reason(error: ErrorDetails) -> str:
    """pydantic's message, except that an instant out of bounds is called impossible."""
    ctx = error.get("ctx") or {}
    if str(ctx.get("ge", ctx.get("lt"))) in _INSTANT_BOUNDS:
        return f"{error['input']} is not a possible instant (2000 to 2100)"
    return error["msg"]


def parse_punch(payload: bytes | str) -> Punch:
    return _parse(Punch, payload)


def parse_unknown_badge(payload: bytes | str) -> UnknownBadge:
    return _parse(UnknownBadge, payload)


def parse_kiosk_status(payload: bytes | str) -> KioskStatus:
    return _parse(KioskStatus, payload)


def parse_roster(payload: bytes | str) -> Roster:
    return _parse(Roster, payload)


def parse_telemetry(payload: bytes | str) -> Telemetry:
    return _parse(Telemetry, payload)


def parse_vehicle_status(payload: bytes | str) -> VehicleStatus:
    return _parse(VehicleStatus, payload)


def parse_receipt(payload: bytes | str) -> Receipt:
    return _parse(Receipt, payload)


PARSERS: dict[str, Callable[[bytes | str], Message]] = {
    "punch": parse_punch,
    "unknown_badge": parse_unknown_badge,
    "kiosk_status": parse_kiosk_status,
    "roster": parse_roster,
    "telemetry": parse_telemetry,
    "vehicle_status": parse_vehicle_status,
    "receipt": parse_receipt,
}
assert PARSERS.keys() == MESSAGE_TYPES.keys()


def parse_device_message(topic: str, payload: bytes | str) -> Message:
    """Parse what a device published; the payload's device must be the topic's device."""
    where = parse_device_topic(topic)
    kind = _TOPIC_KINDS[(where.role, where.kind)]
    message = PARSERS[kind](payload)
    if message.device != where.device_id:
        raise WireError(
            kind, "device", f"{message.device!r} published on {where.device_id!r}'s topic"
        )
    return message


def encode(message: Message) -> bytes:
    """The JSON bytes of a message, as devices and the hub publish them."""
    return message.model_dump_json(exclude_none=True).encode()
