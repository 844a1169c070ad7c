"""How the API writes the hub's records as JSON: timesheets as `timesheet_document` makes
them, instants in ISO 8601 with their offset."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from hub.export.context import TechnicianSheet
from hub.services.records_view import EventLine
from hub.services.timesheet_document import TimesheetDoc, timesheet_document
from hub.services.van_legs import VanLegs
from hub.store.models import Correction, HoursEntry, HoursEntryVoid, Punch, TimesheetApproval, WorkOrder, WorkOrderVisit


def timesheet(found: TechnicianSheet, start, end) -> TimesheetDoc:
    return timesheet_document(found.timesheet, start, end, found.technician.name, found.marks)


def event(line: EventLine) -> dict:
    return {"id": line.id, "kind": line.kind, "at": line.at.isoformat(), "what": line.what,
            "correction": line.correction, "flags": list(getattr(line.event, "flags", ()))}


def work_order(row: WorkOrder, assigned: list[str]) -> dict:
    return {"id": row.id, "customer": row.customer, "title": row.title, "depot_id": row.depot_id,
            "site_address": row.site_address, "lat": row.lat, "lon": row.lon, "radius_m": row.radius_m,
            "billable": row.billable, "status": row.status, "assigned": assigned,
            "quickbooks_job": row.quickbooks_job}


def visit(row: WorkOrderVisit) -> dict:
    return {"id": row.id, "request_id": row.request_id, "technician_id": row.technician_id,
            "work_order_id": row.work_order_id, "category_id": row.category_id,
            "check_in_at": row.check_in_at.isoformat(),
            "check_out_at": row.check_out_at.isoformat() if row.check_out_at else None,
            "check_out_request_id": row.check_out_request_id, "next_status": row.next_status, "note": row.note,
            "source": row.source, "flags": list(row.flags or [])}


def punch(row: Punch) -> dict:
    return {"id": str(row.id), "technician_id": row.technician_id, "action": row.action, "break_kind": row.break_kind,
            "at": row.at.isoformat(), "source": row.source, "lat": row.lat, "lon": row.lon,
            "accuracy_m": row.accuracy_m, "request_id": row.request_id, "flags": list(row.flags)}


def correction(row: Correction) -> dict:
    return {"id": f"c{row.id}", "technician_id": row.technician_id, "kind": row.kind, "reason": row.reason,
            "replaces": row.replaces_id, "values": row.values, "created_at": row.created_at.isoformat(),
            "created_by": row.created_by}


def hours_entry(entry: HoursEntry, void: HoursEntryVoid | None) -> dict:
    return {"id": f"h{entry.id}", "technician_id": entry.technician_id, "day": entry.day.isoformat(),
            "minutes": entry.minutes, "category": entry.category_id, "work_order": entry.work_order_id,
            "reason": entry.reason, "created_at": entry.created_at.isoformat(), "created_by": entry.created_by,
            "void": void and {"reason": void.reason, "created_at": void.created_at.isoformat(),
                              "created_by": void.created_by}}


def approval(row: TimesheetApproval) -> dict:
    return {"id": row.id, "technician_id": row.technician_id, "week_start": row.week_start.isoformat(),
            "level": row.level, "decision": row.decision, "decided_at": row.decided_at.isoformat(),
            "decided_by": row.decided_by, "reason": row.reason}


def _utc(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def van_legs(found: VanLegs, start, end) -> dict:
    """Each instant in UTC and on the van's depot's clock (`timezone`)."""
    zone = ZoneInfo(found.zone)
    return {"vehicle_id": found.vehicle_id, "depot_id": found.depot_id, "timezone": found.zone,
            "from": start.isoformat(), "to": end.isoformat(), "legs": [
                {"id": leg.id, "start_at": _utc(leg.start), "end_at": _utc(leg.end),
                 "start_local": leg.start.astimezone(zone).isoformat(), "end_local": leg.end.astimezone(zone).isoformat(),
                 "distance_km": leg.distance_km, "source": found.source, "origin": leg.origin,
                 "destination": leg.destination,
                 "driver": {"technician_id": leg.driver, "decided_by": leg.driver_decided_by},
                 "work_order": {"id": leg.work_order, "decided_by": leg.work_order_decided_by}}
                for leg in found.legs]}
