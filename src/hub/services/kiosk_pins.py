"""A technician's kiosk PIN, for a forgotten badge: set by themself or an admin, kept
argon2-hashed, and carried in the kiosks' rosters (published at once) for the kiosks to
check offline (`kiosk.pins` says why and what it costs)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from hub.services.passwords import WeakPassword, hash_pin
from hub.services.problems import Invalid
from hub.services.scope import NotAllowed, Viewer
from hub.store.models import Technician
from hub.store.roster_requests import request_rosters


def set_pin(session: Session, viewer: Viewer, technician: Technician, pin: str, now: datetime) -> None:
    if viewer.technician_id != technician.id and viewer.role != "admin":
        raise NotAllowed("only the technician or an admin sets a kiosk PIN")
    try:
        technician.pin_hash = hash_pin(pin)
    except WeakPassword as exc:
        raise Invalid("pin", str(exc)) from None
    request_rosters(session, technician.id, now)
