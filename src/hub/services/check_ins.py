"""Checking in to and out of a work order: a WorkOrderVisit per visit, and on check-out the
work order's next status with a note. A timer (hub.services.timers) is a visit too: the
technician has at most one open at a time. Each may come from a phone's offline queue,
with its own `at`, request id and `sent_at`, taken as a phone's punch is
(hub.services.offline_requests)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.services.approvals import ensure_editable
from hub.services.offline_requests import Made, Taken, clock_flags, digest, is_replay, made_at
from hub.services.problems import Invalid
from hub.services.scope import NotAllowed, Viewer
from hub.settings import PayrollSettings, PunchingSettings
from hub.store.leg_requests import request_leg_rebuild
from hub.store.models import Technician, WorkOrder, WorkOrderAssignment, WorkOrderVisit

NEXT_STATUSES = {"resolved": "Resolved", "waiting_on_client": "Waiting on client",
                 "needs_scheduling": "Needs scheduling"}
CLOSED_STATUSES = ("resolved", "cancelled")
TOPIC = "api/v1/check-ins"  # a refused replay's dead letter, as if it had come on a topic


@dataclass(frozen=True)
class VisitRequest:
    """A check-in, check-out or timer as taken: its instant, its request id and what it
    said (digest), and the flags it earned."""

    at: datetime
    request_id: str | None = None
    digest: str | None = None
    flags: list[str] = field(default_factory=list)


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


def take_request(session: Session, viewer: Viewer, settings: PunchingSettings, technician: Technician, made: Made,
                 now: datetime, what: str, said: list, topic: str = TOPIC, check_out: bool = False
                 ) -> tuple[VisitRequest, WorkOrderVisit | None]:
    """The request as taken, and the visit it already made when it is a retry. `what` names
    it ("check-in", "timer stop"...); `check_out`: its id is a visit's check-out's."""
    said = [technician.id, what, *said, made.at and made.at.astimezone(timezone.utc).isoformat()]
    if made.request_id:
        column = WorkOrderVisit.check_out_request_id if check_out else WorkOrderVisit.request_id
        earlier = session.scalar(select(WorkOrderVisit).where(column == made.request_id))
        taken = None if earlier is None else Taken(earlier.technician_id,
                                                   earlier.check_out_digest if check_out else earlier.request_digest)
        if is_replay(session, taken, technician.id, made.request_id, said, what, topic, now):
            return VisitRequest(now), earlier
    at = made_at(made, now, settings, what)
    own = viewer.technician_id == technician.id  # the technician's phone: its clock is checked
    return VisitRequest(at, made.request_id, made.request_id and digest(said),
                        clock_flags(made, at, now, settings) if own else []), None


def check_in(session: Session, viewer: Viewer, payroll: PayrollSettings, settings: PunchingSettings,
             technician: Technician, work_order_id: str, made: Made, now: datetime, source: str = "web"
             ) -> tuple[WorkOrderVisit, bool]:
    """The visit, and whether it is new (False: a retry of one already taken)."""
    _may_act_for(viewer, technician)
    request, earlier = take_request(session, viewer, settings, technician, made, now, "check-in", [work_order_id])
    if earlier is not None:
        return earlier, False
    return open_at_work_order(session, viewer, payroll, technician, work_order_id, request, source), True


def open_at_work_order(session: Session, viewer: Viewer, payroll: PayrollSettings, technician: Technician,
                       work_order_id: str, request: VisitRequest, source: str) -> WorkOrderVisit:
    """A new visit to the work order (a check-in's or a timer's)."""
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
    at = request.at
    ensure_editable(session, payroll, technician.id, at.astimezone(ZoneInfo(technician.payroll_timezone)).date())
    visit = WorkOrderVisit(request_id=request.request_id or str(uuid.uuid4()), request_digest=request.digest,
                           technician_id=technician.id, work_order_id=work_order.id, check_in_at=at, source=source,
                           flags=request.flags)
    session.add(visit)
    work_order.status = "in_progress"
    # The ingest attributes the legs this check-in belongs to again (no telemetry needed).
    request_leg_rebuild(session, "check_in", at, at, technician_id=technician.id)
    session.flush()
    return visit


def close_visit(visit: WorkOrderVisit, request: VisitRequest) -> None:
    """The visit ends at the request's instant, with its id and flags (a check-out's or a timer stop's)."""
    visit.check_out_at = request.at
    visit.check_out_request_id, visit.check_out_digest = request.request_id, request.digest
    visit.flags = [*visit.flags, *(f for f in request.flags if f not in visit.flags)]


def check_out(session: Session, viewer: Viewer, payroll: PayrollSettings, settings: PunchingSettings,
              technician: Technician, next_status: str, note: str | None, made: Made, now: datetime,
              visit_id: int | None = None) -> tuple[WorkOrderVisit, bool]:
    """Out of the visit `visit_id` (None: the one open now); whether it is new as check_in's."""
    _may_act_for(viewer, technician)
    request, earlier = take_request(session, viewer, settings, technician, made, now, "check-out",
                                    [visit_id, next_status, note], check_out=True)
    if earlier is not None:
        return earlier, False
    visit = (session.get(WorkOrderVisit, visit_id) if visit_id is not None
             else open_visit(session, technician.id))
    if (visit is None or visit.technician_id != technician.id or visit.check_out_at is not None
            or visit.work_order_id is None):
        raise Invalid("visit", "not checked in to a work order")
    if next_status not in NEXT_STATUSES:
        raise Invalid("next_status", f"choose one of {', '.join(NEXT_STATUSES.values()).lower()}")
    if request.at < visit.check_in_at:
        raise Invalid("at", "a check-out cannot come before its check-in")
    ensure_editable(session, payroll, technician.id,
                    request.at.astimezone(ZoneInfo(technician.payroll_timezone)).date())
    close_visit(visit, request)
    visit.next_status = next_status
    visit.note = (note or "").strip() or None
    session.get_one(WorkOrder, visit.work_order_id).status = next_status
    session.flush()
    return visit, True


def visits_between(session: Session, technician_id: str, lo: datetime, hi: datetime) -> list[WorkOrderVisit]:
    return list(session.scalars(select(WorkOrderVisit).where(
        WorkOrderVisit.technician_id == technician_id, WorkOrderVisit.check_in_at >= lo,
        WorkOrderVisit.check_in_at < hi).order_by(WorkOrderVisit.check_in_at)))
