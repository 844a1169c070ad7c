"""Checking in to and out of a work order: a WorkOrderVisit per visit, and on check-out the
work order's next status with a note. A timer (hub.services.timers) is a visit too: the
technician has at most one open at a time."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.services.approvals import ensure_editable
from hub.services.problems import Invalid
from hub.services.scope import NotAllowed, Viewer
from hub.settings import PayrollSettings
from hub.store.leg_requests import request_leg_rebuild
from hub.store.models import Technician, WorkOrder, WorkOrderAssignment, WorkOrderVisit

NEXT_STATUSES = {"resolved": "Resolved", "waiting_on_client": "Waiting on client",
                 "needs_scheduling": "Needs scheduling"}
CLOSED_STATUSES = ("resolved", "cancelled")


def assigned_work_orders(session: Session, technician_id: str) -> list[WorkOrder]:
    return list(session.scalars(
        select(WorkOrder).join(WorkOrderAssignment, WorkOrderAssignment.work_order_id == WorkOrder.id)
        .where(WorkOrderAssignment.technician_id == technician_id, WorkOrder.status.not_in(CLOSED_STATUSES))
        .order_by(WorkOrder.id)
    ))


def open_visit(session: Session, technician_id: str) -> WorkOrderVisit | None:
    """The technician's running visit: a check-in or a timer (to a work order or a category)."""
    return session.scalar(
        select(WorkOrderVisit).where(WorkOrderVisit.technician_id == technician_id,
                                     WorkOrderVisit.check_out_at.is_(None))
        .order_by(WorkOrderVisit.check_in_at.desc()).limit(1)
    )


def _may_act_for(viewer: Viewer, technician: Technician) -> None:
    if viewer.role == "technician" and viewer.technician_id != technician.id:
        raise NotAllowed("a technician checks in only themself")


def check_in(session: Session, viewer: Viewer, payroll: PayrollSettings, technician: Technician,
             work_order_id: str, at: datetime, source: str = "web",
             request_id: str | None = None) -> WorkOrderVisit:
    """`request_id`: the caller's idempotency key (a PSA's retry returns the same visit)."""
    _may_act_for(viewer, technician)
    if request_id:
        earlier = session.scalar(select(WorkOrderVisit).where(WorkOrderVisit.request_id == request_id))
        if earlier is not None:
            if earlier.technician_id != technician.id:
                raise Invalid("request_id", "already used for another technician")
            return earlier
    work_order_id = (work_order_id or "").strip()
    if not work_order_id:
        raise Invalid("work_order", "pick a work order or enter its number")
    try:
        work_order = viewer.work_order(session, work_order_id)
    except LookupError:
        raise Invalid("work_order", f"no work order {work_order_id}") from None
    if work_order.status in CLOSED_STATUSES:
        raise Invalid("work_order", f"{work_order.id} is {work_order.status}")
    current = open_visit(session, technician.id)
    if current is not None:
        raise Invalid("work_order", f"check out of {current.work_order_id} first" if current.work_order_id
                      else f"stop the {current.category_id} timer first")
    ensure_editable(session, payroll, technician.id, at.astimezone(ZoneInfo(technician.payroll_timezone)).date())
    visit = WorkOrderVisit(request_id=request_id or str(uuid.uuid4()), technician_id=technician.id,
                           work_order_id=work_order.id, check_in_at=at, source=source)
    session.add(visit)
    work_order.status = "in_progress"
    # The ingest attributes the legs this check-in belongs to again (no telemetry needed).
    request_leg_rebuild(session, "check_in", at, at, technician_id=technician.id)
    session.flush()
    return visit


def check_out(session: Session, viewer: Viewer, payroll: PayrollSettings, technician: Technician,
              next_status: str, note: str | None, at: datetime, visit_id: int | None = None) -> WorkOrderVisit:
    _may_act_for(viewer, technician)
    visit = (session.get(WorkOrderVisit, visit_id) if visit_id is not None
             else open_visit(session, technician.id))
    if (visit is None or visit.technician_id != technician.id or visit.check_out_at is not None
            or visit.work_order_id is None):
        raise Invalid("visit", "not checked in to a work order")
    if next_status not in NEXT_STATUSES:
        raise Invalid("next_status", f"choose one of {', '.join(NEXT_STATUSES.values()).lower()}")
    if at < visit.check_in_at:
        raise Invalid("at", "a check-out cannot come before its check-in")
    ensure_editable(session, payroll, technician.id, at.astimezone(ZoneInfo(technician.payroll_timezone)).date())
    visit.check_out_at, visit.next_status = at, next_status
    visit.note = (note or "").strip() or None
    session.get_one(WorkOrder, visit.work_order_id).status = next_status
    session.flush()
    return visit


def visits_between(session: Session, technician_id: str, lo: datetime, hi: datetime) -> list[WorkOrderVisit]:
    return list(session.scalars(select(WorkOrderVisit).where(
        WorkOrderVisit.technician_id == technician_id, WorkOrderVisit.check_in_at >= lo,
        WorkOrderVisit.check_in_at < hi).order_by(WorkOrderVisit.check_in_at)))
