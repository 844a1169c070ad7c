"""Bytes to typed messages and back: one parse function per message kind."""

from __future__ import annotations

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
M = TypeVar("M", bound=Envelope)

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
    if len(payload) > MAX_PAYLOAD:
        raise WireError(_kind(cls), "(payload)", f"{len(payload)} bytes is over the {MAX_PAYLOAD} limit")
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
