"""Whether a kiosk or van is online, from when the hub last heard of it and what it last
said. Pure: the caller passes `now`.

A kiosk publishes its status every minute while connected, so a few minutes of silence
means it is off or cut off. A van unit publishes its status on connect and on every
change (ignition, GPS), and while parked with a fix a GPS heartbeat every four minutes;
inside a garage or on switched power it may say nothing all night. A van that went quiet
with its ignition off is therefore `parked` (expected), not `offline` (worth a look).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Presence(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    PARKED = "parked"  # a van, silent or signed off, with its ignition off
    NEVER_SEEN = "never seen"


@dataclass(frozen=True)
class PresencePolicy:
    """How long a device may be silent and still count as online."""

    kiosk_silent_s: float = 300.0
    vehicle_silent_s: float = 900.0


@dataclass(frozen=True)
class Heard:
    """What the hub last heard from one device."""

    kind: str  # "kiosk" or "vehicle"
    status_at: datetime | None = None  # the instant of its latest status
    status_online: bool = True  # what that status said ("offline": a goodbye or its Last Will)
    message_at: datetime | None = None  # the instant of its latest other message (a van's telemetry)
    ignition_on: bool | None = None  # a van's, as its latest status says

    @property
    def last_seen(self) -> datetime | None:
        return max((at for at in (self.status_at, self.message_at) if at is not None), default=None)

    @property
    def signed_off(self) -> bool:
        """Its latest word was an offline status, with nothing heard after it."""
        return (self.status_at is not None and not self.status_online
                and (self.message_at is None or self.message_at <= self.status_at))


def presence(heard: Heard, policy: PresencePolicy, now: datetime) -> Presence:
    last_seen = heard.last_seen
    if last_seen is None:
        return Presence.NEVER_SEEN
    limit = policy.kiosk_silent_s if heard.kind == "kiosk" else policy.vehicle_silent_s
    if not heard.signed_off and (now - last_seen).total_seconds() <= limit:
        return Presence.ONLINE
    if heard.kind == "vehicle" and heard.ignition_on is False:
        return Presence.PARKED
    return Presence.OFFLINE
