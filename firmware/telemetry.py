"""The van's events as wire items, journaled one by one and sent in batches."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import TypeAdapter

from depotclock.forwarder import Publication
from depotclock.journal import Entry
from depotclock.wire.codec import encode
from depotclock.wire.messages import Badge, DriverBadge, Fix, Ignition, Telemetry, TelemetryItem
from firmware.gps import Fix as GpsFix
from firmware.ignition import IgnitionChange
from kiosk.readers.base import BadgeRead

_ITEM = TypeAdapter(TelemetryItem)
MAX_ITEMS = 100


def ignition_item(change: IgnitionChange, seq: int, item_id: uuid.UUID) -> bytes:
    return Ignition(id=item_id, seq=seq, at=change.at, on=change.on).model_dump_json().encode()


def fix_item(fix: GpsFix, seq: int, item_id: uuid.UUID) -> bytes:
    return Fix(
        id=item_id, seq=seq, at=fix.at, lat=fix.lat, lon=fix.lon, speed_kmh=min(fix.speed_kmh, 400.0),
        heading_deg=fix.heading_deg, accuracy_m=fix.accuracy_m,
    ).model_dump_json(exclude_none=True).encode()


def driver_item(read: BadgeRead, at: datetime, seq: int, item_id: uuid.UUID) -> bytes:
    badge = Badge(id=read.badge_id, family=read.family, raw=read.raw)
    return DriverBadge(id=item_id, seq=seq, at=at, badge=badge).model_dump_json().encode()


def batch_packer(vehicle_id: str, now, max_items: int = MAX_ITEMS):
    """A forwarder `pack`: consecutive journal items -> Telemetry messages of up to
    `max_items`, each batch with a fresh id (items keep theirs, so a re-formed batch is
    still stored once per item by the hub)."""

    def pack(entries: list[Entry]) -> list[Publication]:
        publications = []
        for start in range(0, len(entries), max_items):
            chunk = entries[start : start + max_items]
            items = tuple(_ITEM.validate_json(e.payload) for e in chunk)
            batch = Telemetry(id=uuid.uuid4(), device=vehicle_id, seq=chunk[0].seq, at=now(), items=items)
            publications.append(Publication(chunk[0].topic, encode(batch), tuple(e.seq for e in chunk)))
        return publications

    return pack
