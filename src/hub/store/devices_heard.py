"""What the hub last heard from each kiosk and van: its latest status, and for a van the
instant of its newest telemetry (a parked van's GPS heartbeat is not a status)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.rules.device_presence import Heard
from hub.store.organisation import Kiosk, Vehicle
from hub.store.raw_events import DeviceStatus, TelemetryEvent


@dataclass(frozen=True)
class DeviceHeard:
    kind: str  # "kiosk" or "vehicle"
    device_id: str
    name: str
    depot_id: str
    heard: Heard
    backlog: int  # entries waiting in its journal, as its latest status says
    detail: dict  # the rest of its latest status (reader_ok, gps_error, odometer_km, ...)


def devices_heard(session: Session, depot_id: str | None = None) -> list[DeviceHeard]:
    """Every registered kiosk and van (of `depot_id`, else of all depots), by kind and id."""
    newest = (select(TelemetryEvent.at).where(TelemetryEvent.vehicle_id == Vehicle.id)
              .order_by(TelemetryEvent.at.desc()).limit(1).correlate(Vehicle).scalar_subquery())
    kiosks = select(Kiosk.id, Kiosk.name, Kiosk.depot_id)
    vans = select(Vehicle.id, Vehicle.name, Vehicle.depot_id, newest)
    if depot_id is not None:
        kiosks, vans = kiosks.where(Kiosk.depot_id == depot_id), vans.where(Vehicle.depot_id == depot_id)
    known: list[tuple[str, str, str, str, datetime | None]] = [("kiosk", *row, None) for row in session.execute(kiosks)]
    known += [("vehicle", *row) for row in session.execute(vans)]
    statuses = select(DeviceStatus)
    if depot_id is not None:
        statuses = statuses.where(DeviceStatus.device_id.in_([device[1] for device in known]))
    status = {(s.kind, s.device_id): s for s in session.scalars(statuses)}
    found = []
    for kind, device_id, name, depot, message_at in sorted(known):
        s = status.get((kind, device_id))
        heard = Heard(kind, s.last_seen if s else None, s is None or s.state != "offline", message_at,
                      (s.detail or {}).get("ignition_on") if s else None)
        found.append(DeviceHeard(kind, device_id, name, depot, heard, s.backlog if s else 0, (s.detail or {}) if s else {}))
    return found
