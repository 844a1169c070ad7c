"""Timers: a technician starts one on a work order or a task category and stops it, or
starts another, which stops the first. A timer is a visit (hub.services.check_ins), so it
counts in the timesheet exactly as a check-in does."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from hub.services import check_ins
from hub.services.approvals import ensure_editable
from hub.services.offline_requests import Made
from hub.services.problems import Invalid
from hub.services.scope import NotAllowed, Viewer
from hub.services.task_categories import check_category
from hub.settings import PayrollSettings, PunchingSettings
from hub.store.models import Technician, WorkOrderVisit

KINDS = ("work_order", "category")
TOPIC = "api/v1/timers"  # a refused replay's dead letter, as if it had come on a topic


def parse_target(value: str | None) -> tuple[str, str]:
    """'work_order:WO-7' or 'category:non-billable:shop' -> (kind, id)."""
    kind, _, target = (value or "").strip().partition(":")
    if kind not in KINDS or not target or len(target) > 64:
        raise Invalid("target", "pick a work order or a task category")
    return kind, target


def _own(viewer: Viewer, technician: Technician) -> None:
    if viewer.technician_id != technician.id:
        raise NotAllowed("a technician runs only their own timers")


def stop_timer(session: Session, viewer: Viewer, payroll: PayrollSettings, settings: PunchingSettings,
               technician: Technician, made: Made, now: datetime) -> tuple[WorkOrderVisit, bool]:
    """Stop the running timer (or check-in); a work order's status stays as it is. Whether
    it is new as check_ins.check_in's (a phone may send it again)."""
    _own(viewer, technician)
    request, earlier = check_ins.take_request(session, viewer, settings, technician, made, now, "timer stop", [],
                                              TOPIC, check_out=True)
    if earlier is not None:
        return earlier, False
    return _stop(session, payroll, technician, request), True


def _stop(session: Session, payroll: PayrollSettings, technician: Technician,
          request: check_ins.VisitRequest) -> WorkOrderVisit:
    visit = check_ins.open_visit(session, technician.id)
    if visit is None:
        raise Invalid("target", "no timer is running")
    if request.at < visit.check_in_at:
        raise Invalid("at", "a timer cannot stop before it started")
    ensure_editable(session, payroll, technician.id,
                    request.at.astimezone(ZoneInfo(technician.payroll_timezone)).date())
    check_ins.close_visit(visit, request)
    session.flush()
    return visit


def start_timer(session: Session, viewer: Viewer, payroll: PayrollSettings, settings: PunchingSettings,
                technician: Technician, target: str | None, made: Made, now: datetime) -> tuple[WorkOrderVisit, bool]:
    """Start a timer on `target` (parse_target's form), stopping the running one first;
    whether it is new as stop_timer's."""
    _own(viewer, technician)
    kind, target_id = parse_target(target)
    request, earlier = check_ins.take_request(session, viewer, settings, technician, made, now, "timer start",
                                              [target], TOPIC)
    if earlier is not None:
        return earlier, False
    day = request.at.astimezone(ZoneInfo(technician.payroll_timezone)).date()
    if kind == "category":
        category = check_category(session, target_id, day, "target")
    running = check_ins.open_visit(session, technician.id)
    if running is not None:
        if (running.work_order_id or running.category_id) == target_id:
            raise Invalid("target", f"the timer on {target_id} is already running")
        _stop(session, payroll, technician, check_ins.VisitRequest(request.at))
    if kind == "work_order":
        try:
            return check_ins.open_at_work_order(session, viewer, payroll, technician, target_id, request, "timer"), True
        except Invalid as error:
            raise Invalid("target", error.message) from None
    ensure_editable(session, payroll, technician.id, day)
    visit = WorkOrderVisit(request_id=request.request_id or str(uuid.uuid4()), request_digest=request.digest,
                           technician_id=technician.id, category_id=category.id, check_in_at=request.at,
                           source="timer", flags=request.flags)
    session.add(visit)
    session.flush()
    return visit, True
