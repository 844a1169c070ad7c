"""Parsed wire messages -> rows of the raw-event tables. Pure: no database, no clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from depotclock.wire.messages import KioskStatus, Punch, Telemetry, UnknownBadge, VehicleStatus

_MINUTE = timedelta(minutes=1)


def _offset_min(at: datetime) -> int:
    offset = at.utcoffset()
    if offset is None:  # never: the wire's instants are aware (messages.Instant)
        raise ValueError(f"{at.isoformat()} has no UTC offset")
    return offset // _MINUTE


def punch_row(punch: Punch, received_at: datetime) -> dict:
    """A badge punch's technician is found from its badge (`hub.ingest.punch_intake`); a
    PIN punch (no badge) names the technician the kiosk checked the PIN of."""
    badge = punch.badge
    return {
        "id": punch.id, "kiosk_id": punch.device, "seq": punch.seq, "at": punch.at,
        "utc_offset_min": _offset_min(punch.at), "received_at": received_at,
        "badge_id": badge and badge.id, "badge_family": badge and badge.family.value,
        "badge_raw": badge and badge.raw, "action": punch.action.value,
        "break_kind": punch.break_kind.value if punch.break_kind else None,
        "technician_id": punch.tech if badge is None else None, "clock_synced": punch.clock.synced,
        "boot": punch.clock.boot, "monotonic_s": punch.clock.monotonic_s, "flags": [],
        "source": "kiosk", "depot_id": None,
    }


def telemetry_rows(batch: Telemetry, received_at: datetime) -> list[tuple]:
    """One tuple per item, in `hub.store.telemetry_insert.COLUMNS` order (the hottest path
    of ingest: tuples, not dicts). Instants are given in UTC, its offset kept apart: every
    parsed instant has a tzinfo object of its own, and comparing two of those (sorting,
    bisecting, min and max in leg building) costs thirty times what it costs in one zone."""
    rows: list[tuple[object, ...]] = []
    device, batch_id = batch.device, batch.id
    for item in batch.items:
        at = item.at
        head = (item.id, device, batch_id, item.seq, at.astimezone(timezone.utc), _offset_min(at),
                received_at, item.type)
        if item.type == "fix":
            rows.append((*head, None, item.lat, item.lon, item.speed_kmh, item.heading_deg,
                         item.accuracy_m, None))
        elif item.type == "ignition":
            rows.append((*head, item.on, None, None, None, None, None, None))
        else:
            rows.append((*head, None, None, None, None, None, None, item.badge.id))
    return rows


def unknown_badge_row(read: UnknownBadge, received_at: datetime) -> dict:
    return {
        "id": read.id, "kiosk_id": read.device, "at": read.at, "received_at": received_at,
        "badge_id": read.badge.id, "badge_family": read.badge.family.value, "badge_raw": read.badge.raw,
    }


def status_row(status: KioskStatus | VehicleStatus, received_at: datetime) -> dict:
    """A Last Will (`lost`) is dated by its arrival: the broker sent it when the device's
    connection died, an instant the device could not know (hub.ingest.status_order)."""
    kind = "kiosk" if isinstance(status, KioskStatus) else "vehicle"
    detail = status.model_dump(mode="json", exclude={
        "v", "id", "device", "seq", "at", "kind", "state", "backlog", "connected_at"})
    connected = status.connected_at
    detail["connected_ms"] = None if connected is None else round(connected.timestamp() * 1000)
    return {
        "kind": kind, "device_id": status.device, "state": status.state.value,
        "last_seen": received_at if status.lost else status.at, "backlog": status.backlog,
        "detail": detail,
    }
