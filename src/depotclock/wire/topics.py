"""The MQTT topic tree. Devices use their id as broker username, so ACLs can use %u."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from depotclock.wire.errors import WireError

PREFIX = "depotclock/v1"
DEVICE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
_DEVICE_ID = re.compile(DEVICE_ID_PATTERN)

# (role, kind) pairs that exist on the wire, and who publishes them.
DEVICE_TOPICS = {
    ("kiosk", "punch"),
    ("kiosk", "unknown_badge"),
    ("kiosk", "status"),
    ("vehicle", "telemetry"),
    ("vehicle", "status"),
}


def check_device_id(device_id: str) -> str:
    """Device and depot ids are safe topic levels and broker usernames."""
    if not _DEVICE_ID.match(device_id):
        raise WireError(
            "topic", "device", f"{device_id!r} is not an id (letters, digits, _ . -; up to 64)"
        )
    return device_id


def kiosk_topic(kiosk_id: str, kind: str) -> str:
    return f"{PREFIX}/kiosk/{check_device_id(kiosk_id)}/{kind}"


def vehicle_topic(vehicle_id: str, kind: str) -> str:
    return f"{PREFIX}/vehicle/{check_device_id(vehicle_id)}/{kind}"


def receipt_topic(role: str, device_id: str) -> str:
    """Hub to one device: what the hub has stored of its journal (`receipt`)."""
    return f"{PREFIX}/{role}/{check_device_id(device_id)}/receipt"


def roster_topic(depot_id: str) -> str:
    return f"{PREFIX}/depot/{check_device_id(depot_id)}/roster"


# What the hub subscribes to, one filter per device-to-hub topic.
HUB_SUBSCRIPTIONS = tuple(f"{PREFIX}/{role}/+/{kind}" for role, kind in sorted(DEVICE_TOPICS))


@dataclass(frozen=True)
class DeviceTopic:
    """A device-to-hub topic, taken apart."""

    role: str
    device_id: str
    kind: str


@lru_cache(maxsize=65536)  # a fleet's topics, each parsed once rather than per message
def parse_device_topic(topic: str) -> DeviceTopic:
    """Split `depotclock/v1/{role}/{id}/{kind}`; anything else is a WireError."""
    parts = topic.split("/")
    if len(parts) != 5 or "/".join(parts[:2]) != PREFIX:
        raise WireError("topic", "topic", f"{topic!r} is not under {PREFIX}/{{role}}/{{id}}/{{kind}}")
    role, device_id, kind = parts[2:]
    if (role, kind) not in DEVICE_TOPICS:
        raise WireError("topic", "topic", f"{topic!r}: no {kind!r} messages come from a {role}")
    return DeviceTopic(role, check_device_id(device_id), kind)
