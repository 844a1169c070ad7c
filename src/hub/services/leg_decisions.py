"""How each drive leg's driver and work order were decided, one reading for the map and
the API: by the ingest's attribution (cab badge, the van's assignment, a supervisor's
correction naming the driver; check-in, geofence), or by an attach_leg correction of the
driver's record, which wins as it does in the timesheet."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.store.models import Correction, DriveLeg

DRIVER_CODES = {"badge": "cab_badge", "assignment": "assignment", "correction": "supervisor_correction"}
WORK_ORDER_CODES = {"check_in": "check_in", "geofence": "geofence"}
# how a page says each code
DRIVER_WORDS = {"cab_badge": "badged in the cab", "assignment": "assigned to the van",
                "supervisor_correction": "named by a supervisor", "none": "no assignment or cab badge"}
WORK_ORDER_WORDS = {"check_in": "checked in on arrival", "geofence": "ended at the site",
                    "supervisor_correction": "set by a correction", "none": "no check-in or site"}


@dataclass(frozen=True)
class Decision:
    driver_by: str  # cab_badge | assignment | supervisor_correction | none
    work_order: str | None
    work_order_by: str  # check_in | geofence | supervisor_correction | none


def decisions(session: Session, legs: list[DriveLeg]) -> dict[int, Decision]:
    """leg id -> how its driver and work order were decided."""
    attached = _attached(session, legs)
    out = {}
    for leg in legs:
        order, order_by = leg.work_order_id, WORK_ORDER_CODES.get(leg.work_order_source or "", "none")
        if leg.id in attached:
            order, order_by = attached[leg.id], "supervisor_correction"
        elif order is None:
            order_by = "none"
        driver_by = DRIVER_CODES.get(leg.driver_source or "", "none") if leg.technician_id else "none"
        out[leg.id] = Decision(driver_by, order, order_by)
    return out


def _attached(session: Session, legs: list[DriveLeg]) -> dict[int, str]:
    """leg id -> the work order the latest standing attach_leg correction of its driver's
    record gives it (the order corrections apply in)."""
    by_ref = {f"leg-{leg.id}": leg for leg in legs if leg.technician_id is not None}
    if not by_ref:
        return {}
    rows = list(session.scalars(select(Correction).where(
        Correction.kind == "attach_leg", Correction.replaces_id.in_(sorted(by_ref))).order_by(Correction.id)))
    voided = set(session.scalars(select(Correction.replaces_id).where(
        Correction.kind == "void_correction", Correction.replaces_id.in_([f"c{r.id}" for r in rows]))))
    out = {}
    for row in rows:
        leg = by_ref[row.replaces_id or ""]
        if f"c{row.id}" not in voided and row.technician_id == leg.technician_id and (row.values or {}).get("work_order"):
            out[leg.id] = row.values["work_order"]
    return out
