"""Online, offline, parked or never seen: from what a device last said and how long it has
been silent, against the [monitoring] limits (kiosks 300 s, vans 900 s by default)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from hub.rules.device_presence import Heard, Presence, PresencePolicy, presence

NOW = datetime(2026, 3, 4, 20, 0, tzinfo=timezone.utc)
POLICY = PresencePolicy(kiosk_silent_s=300, vehicle_silent_s=900)


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


@pytest.mark.parametrize("heard, expected", [
    (Heard("kiosk"), Presence.NEVER_SEEN),
    (Heard("kiosk", status_at=ago(60)), Presence.ONLINE),  # its minutely status
    (Heard("kiosk", status_at=ago(300)), Presence.ONLINE),  # the limit itself is still online
    (Heard("kiosk", status_at=ago(301)), Presence.OFFLINE),
    (Heard("kiosk", status_at=ago(10), status_online=False), Presence.OFFLINE),  # said goodbye
    (Heard("kiosk", status_at=NOW + timedelta(seconds=30)), Presence.ONLINE),  # its clock a little ahead
    (Heard("vehicle", status_at=ago(600), ignition_on=True), Presence.ONLINE),  # vans may be quiet longer
    (Heard("vehicle", status_at=ago(901), ignition_on=True), Presence.OFFLINE),  # lost mid-drive
    (Heard("vehicle", status_at=ago(8 * 3600), ignition_on=False), Presence.PARKED),  # overnight
    (Heard("vehicle", status_at=ago(60), status_online=False, ignition_on=False), Presence.PARKED),
    (Heard("vehicle", status_at=ago(901)), Presence.OFFLINE),  # ignition unknown: not assumed parked
    # a parked van's GPS heartbeat keeps it online though its status is hours old
    (Heard("vehicle", status_at=ago(6 * 3600), message_at=ago(280), ignition_on=False), Presence.ONLINE),
    # telemetry after an offline status (a reconnect whose status is still on its way) is a sign of life
    (Heard("vehicle", status_at=ago(120), status_online=False, message_at=ago(30)), Presence.ONLINE),
    (Heard("vehicle", message_at=ago(30)), Presence.ONLINE),  # telemetry but no status yet
])
def test_presence(heard, expected):
    assert presence(heard, POLICY, NOW) is expected


def test_last_seen_is_the_latest_of_status_and_messages():
    assert Heard("vehicle", status_at=ago(500), message_at=ago(20)).last_seen == ago(20)
    assert Heard("vehicle", status_at=ago(5), message_at=ago(20)).last_seen == ago(5)
    assert Heard("kiosk").last_seen is None
