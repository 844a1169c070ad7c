"""How the API writes the hub's records as JSON: hours as exact decimal strings, instants
in ISO 8601 with their offset."""

from __future__ import annotations

from decimal import Decimal

from hub.rules.sheets import hours
from hub.services.records import TechnicianSheet
from hub.services.records_view import EventLine
from hub.store.models import Correction, TimesheetApproval, WorkOrder, WorkOrderVisit

PLACES = Decimal("0.0001")


def h(us: int) -> str:
    return str(hours(us).quantize(PLACES))


def timesheet(found: TechnicianSheet, start, end) -> dict:
    sheet = found.timesheet
    corrected = set(found.marks)
    return {
        "technician_id": found.technician.id, "name": found.technician.name,
        "days": [{
            "date": d.date.isoformat(), "clocked_h": h(d.clocked), "worked_h": h(d.worked),
            "paid_breaks_h": h(d.paid_breaks), "unpaid_meals_h": h(d.unpaid_meals), "gaps_h": h(d.gaps),
            "drive_h": {wo or "": h(us) for wo, us in d.drive.items()},
            "on_site_h": {wo: h(us) for wo, us in d.on_site.items()},
            "regular_h": h(d.regular), "overtime_h": h(d.overtime), "double_time_h": h(d.double_time),
            "corrected": any(i in corrected for s in d.segments for i in s.source_ids),
        } for d in sheet.days if start <= d.date <= end],
        "weeks": [{"start": w.start.isoformat(), "worked_h": h(w.worked), "regular_h": h(w.regular),
                   "overtime_h": h(w.overtime), "double_time_h": h(w.double_time), "cost": str(w.cost.quantize(Decimal("0.01")))}
                  for w in sheet.weeks],
        "exceptions": [{"code": e.code.value, "at": e.at.isoformat(), "message": e.message, "event_ids": list(e.source_ids)}
                       for e in sheet.exceptions if start <= e.at.date() <= end],
    }


def event(line: EventLine) -> dict:
    return {"id": line.id, "kind": line.kind, "at": line.at.isoformat(), "what": line.what,
            "correction": line.correction}


def work_order(row: WorkOrder, assigned: list[str]) -> dict:
    return {"id": row.id, "customer": row.customer, "title": row.title, "depot_id": row.depot_id,
            "site_address": row.site_address, "lat": row.lat, "lon": row.lon, "radius_m": row.radius_m,
            "billable": row.billable, "status": row.status, "assigned": assigned}


def visit(row: WorkOrderVisit) -> dict:
    return {"id": row.id, "request_id": row.request_id, "technician_id": row.technician_id,
            "work_order_id": row.work_order_id, "check_in_at": row.check_in_at.isoformat(),
            "check_out_at": row.check_out_at.isoformat() if row.check_out_at else None,
            "next_status": row.next_status, "note": row.note, "source": row.source}


def correction(row: Correction) -> dict:
    return {"id": f"c{row.id}", "technician_id": row.technician_id, "kind": row.kind, "reason": row.reason,
            "replaces": row.replaces_id, "values": row.values, "created_at": row.created_at.isoformat(),
            "created_by": row.created_by}


def approval(row: TimesheetApproval) -> dict:
    return {"id": row.id, "technician_id": row.technician_id, "week_start": row.week_start.isoformat(),
            "level": row.level, "decision": row.decision, "decided_at": row.decided_at.isoformat(),
            "decided_by": row.decided_by, "reason": row.reason}
