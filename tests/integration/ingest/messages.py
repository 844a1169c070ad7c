"""Wire messages as kiosks and vans send them, for the ingest tests."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from depotclock.wire.badge import ReaderFamily
from depotclock.wire.codec import encode
from depotclock.wire.messages import (
    Badge,
    DeviceClock,
    DeviceState,
    Fix,
    Ignition,
    KioskStatus,
    Punch,
    PunchAction,
    Telemetry,
)
from depotclock.wire.topics import kiosk_topic, vehicle_topic

T0 = datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)
CLOCK = DeviceClock(synced=True, boot="b1", monotonic_s=100.0)


def punch(
    seq: int,
    badge_id: str = "DEADBEEF",
    kiosk: str = "kiosk-1",
    at: datetime | None = None,
    action: PunchAction | None = None,
    clock: DeviceClock = CLOCK,
) -> tuple[str, bytes]:
    message = Punch(
        id=uuid.uuid4(), device=kiosk, seq=seq, at=at or T0 + timedelta(minutes=seq),
        badge=Badge(id=badge_id, family=ReaderFamily.PCSC, raw=badge_id.lower()),
        action=action or (PunchAction.CLOCK_IN if seq % 2 else PunchAction.CLOCK_OUT), clock=clock,
    )
    return kiosk_topic(kiosk, "punch"), encode(message)


def telemetry_items(count: int) -> list:
    items = []
    for n in range(count):
        at = T0 + timedelta(seconds=n)
        if n % 10 == 0:
            items.append(Ignition(id=uuid.uuid4(), seq=n + 1, at=at, on=n % 20 == 0))
        else:
            items.append(Fix(id=uuid.uuid4(), seq=n + 1, at=at, lat=41.9, lon=-87.6, speed_kmh=30.0))
    return items


def telemetry(items: list, van: str = "van-1") -> tuple[str, bytes]:
    batch = Telemetry(id=uuid.uuid4(), device=van, seq=items[0].seq, at=T0, items=tuple(items))
    return vehicle_topic(van, "telemetry"), encode(batch)


def kiosk_status(at: datetime, backlog: int, kiosk: str = "kiosk-1") -> tuple[str, bytes]:
    status = KioskStatus(id=uuid.uuid4(), device=kiosk, seq=1, at=at, state=DeviceState.ONLINE, backlog=backlog)
    return kiosk_topic(kiosk, "status"), encode(status)
