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
from hub.services.problems import Invalid
from hub.services.scope import NotAllowed, Viewer
from hub.services.task_categories import check_category
from hub.settings import PayrollSettings
from hub.store.models import Technician, WorkOrderVisit

KINDS = ("work_order", "category")


def parse_target(value: str | None) -> tuple[str, str]:
    """'work_order:WO-7' or 'category:non-billable:shop' -> (kind, id)."""
    kind, _, target = (value or "").strip().partition(":")
    if kind not in KINDS or not target or len(target) > 64:
        raise Invalid("target", "pick a work order or a task category")
    return kind, target


def _own(viewer: Viewer, technician: Technician) -> None:
    if viewer.technician_id != technician.id:
        raise NotAllowed("a technician runs only their own timers")


def stop_timer(session: Session, viewer: Viewer, payroll: PayrollSettings, technician: Technician,
               at: datetime) -> WorkOrderVisit:
    """Stop the running timer (or check-in) at `at`; a work order's status stays as it is."""
    _own(viewer, technician)
    visit = check_ins.open_visit(session, technician.id)
    if visit is None:
        raise Invalid("target", "no timer is running")
    if at < visit.check_in_at:
        raise Invalid("at", "a timer cannot stop before it started")
    ensure_editable(session, payroll, technician.id, at.astimezone(ZoneInfo(technician.payroll_timezone)).date())
    visit.check_out_at = at
    session.flush()
    return visit


def start_timer(session: Session, viewer: Viewer, payroll: PayrollSettings, technician: Technician,
                target: str | None, at: datetime) -> WorkOrderVisit:
    """Start a timer on `target` (parse_target's form), stopping the running one first."""
    _own(viewer, technician)
    kind, target_id = parse_target(target)
    day = at.astimezone(ZoneInfo(technician.payroll_timezone)).date()
    if kind == "category":
        category = check_category(session, target_id, day, "target")
    running = check_ins.open_visit(session, technician.id)
    if running is not None:
        if (running.work_order_id or running.category_id) == target_id:
            raise Invalid("target", f"the timer on {target_id} is already running")
        stop_timer(session, viewer, payroll, technician, at)
    if kind == "work_order":
        try:
            return check_ins.check_in(session, viewer, payroll, technician, target_id, at, source="timer")
        except Invalid as error:
            raise Invalid("target", error.message) from None
    ensure_editable(session, payroll, technician.id, day)
    visit = WorkOrderVisit(request_id=str(uuid.uuid4()), technician_id=technician.id, category_id=category.id,
                           check_in_at=at, source="timer")
    session.add(visit)
    session.flush()
    return visit
