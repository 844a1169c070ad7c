"""Parsed wire messages -> rows of the raw-event tables. Pure: no database, no clock."""

from __future__ import annotations

from datetime import datetime

from wire.messages import KioskStatus, Punch, Telemetry, UnknownBadge, VehicleStatus


def _offset_min(at: datetime) -> int:
    return int(at.utcoffset().total_seconds() // 60)


def punch_row(punch: Punch, received_at: datetime) -> dict:
    return {
        "id": punch.id, "kiosk_id": punch.device, "seq": punch.seq, "at": punch.at,
        "utc_offset_min": _offset_min(punch.at), "received_at": received_at,
        "badge_id": punch.badge.id, "badge_family": punch.badge.family.value,
        "badge_raw": punch.badge.raw, "action": punch.action.value,
        "break_kind": punch.break_kind.value if punch.break_kind else None,
        "technician_id": None, "clock_synced": punch.clock.synced, "boot": punch.clock.boot,
        "monotonic_s": punch.clock.monotonic_s, "flags": [],
    }


def telemetry_rows(batch: Telemetry, received_at: datetime) -> list[dict]:
    rows = []
    for item in batch.items:
        row = {
            "id": item.id, "vehicle_id": batch.device, "batch_id": batch.id, "seq": item.seq,
            "at": item.at, "utc_offset_min": _offset_min(item.at), "received_at": received_at,
            "type": item.type, "ignition_on": None, "lat": None, "lon": None, "speed_kmh": None,
            "heading_deg": None, "accuracy_m": None, "badge_id": None,
        }
        if item.type == "ignition":
            row["ignition_on"] = item.on
        elif item.type == "fix":
            row.update(lat=item.lat, lon=item.lon, speed_kmh=item.speed_kmh,
                       heading_deg=item.heading_deg, accuracy_m=item.accuracy_m)
        else:
            row["badge_id"] = item.badge.id
        rows.append(row)
    return rows


def unknown_badge_row(read: UnknownBadge, received_at: datetime) -> dict:
    return {
        "id": read.id, "kiosk_id": read.device, "at": read.at, "received_at": received_at,
        "badge_id": read.badge.id, "badge_family": read.badge.family.value, "badge_raw": read.badge.raw,
    }


def status_row(status: KioskStatus | VehicleStatus) -> dict:
    kind = "kiosk" if isinstance(status, KioskStatus) else "vehicle"
    detail = status.model_dump(mode="json", exclude={"v", "id", "device", "seq", "at", "kind", "state", "backlog"})
    return {
        "kind": kind, "device_id": status.device, "state": status.state.value,
        "last_seen": status.at, "backlog": status.backlog, "detail": detail,
    }
