"""The export scenario (tests/unit/export/scenario.py) as rows in the store: punches,
drive legs and visits, and the approvals of its weeks."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from hub.rules.events import DriveLeg, Punch, WorkOrderCheck
from hub.settings import HubSettings, PayrollSettings
from hub.store.models import (
    Correction,
    Depot,
    PayrollIdentity,
    TimesheetApproval,
    User,
    Vehicle,
    WorkOrder,
    WorkOrderVisit,
)
from hub.store.models import (
    DriveLeg as DriveLegRow,
)
from hub.store.models import (
    Punch as PunchRow,
)
from tests.unit.export import scenario

DECIDED = datetime(2026, 3, 16, 15, tzinfo=timezone.utc)
WEEKS = (date(2026, 3, 2), date(2026, 3, 9))


def settings(url: str, approval_levels: int = 1) -> HubSettings:
    return HubSettings(
        database_url=url, mqtt_url="mqtt://hub:secret@127.0.0.1:1883",
        payroll=PayrollSettings(approval_levels=approval_levels), export=scenario.SETTINGS,
    )


def _punch(event: Punch, seq: int) -> PunchRow:
    offset = int(event.at.utcoffset().total_seconds() // 60)
    return PunchRow(
        id=uuid.uuid4(), kiosk_id="kiosk-1", seq=seq, at=event.at, utc_offset_min=offset,
        received_at=event.at, badge_id="0A0B0C0D", badge_family="pcsc", badge_raw="0A0B0C0D",
        action=event.type.value, break_kind=event.break_kind.value if event.break_kind else None,
        technician_id=event.tech, clock_synced=True, boot="boot-1", monotonic_s=float(seq), flags=[],
    )


def seed(session) -> dict[str, PunchRow]:
    """The scenario's company and events; returns the punch rows by scenario event id."""
    session.add(Depot(id="north", name="North", timezone="America/Chicago", lat=41.88, lon=-87.68))
    session.flush()
    session.add_all(t.row() for t in scenario.TECHNICIANS)
    session.flush()
    session.add_all(PayrollIdentity(technician_id=t.id, provider=provider, employee_id=identity.employee_id,
                                    employee_name=identity.employee_name)
                    for t in scenario.TECHNICIANS for provider, identity in t.identities.items())
    session.add_all(WorkOrder(id=wo, customer=info.customer, title=f"{wo} service", depot_id="north",
                              billable=info.billable, quickbooks_job=info.quickbooks_job)
                    for wo, info in scenario.WORK_ORDERS.items())
    session.add(Vehicle(id="van-1", name="Van 1", depot_id="north"))
    session.add_all([
        User(username="sam", password_hash="x", role="supervisor", created_at=DECIDED),
        User(username="pat", password_hash="x", role="payroll", created_at=DECIDED),
    ])
    session.flush()
    punches, open_visits = {}, {}
    for seq, event in enumerate(scenario.events()):
        if isinstance(event, Punch):
            punches[event.id] = row = _punch(event, seq)
            session.add(row)
        elif isinstance(event, DriveLeg):
            session.add(DriveLegRow(
                vehicle_id="van-1", technician_id=event.tech, start_at=event.start, end_at=event.end,
                distance_km=event.km, origin_kind=event.origin.value, destination_kind=event.destination.value,
                work_order_id=event.work_order, built_at=event.end,
            ))
        elif isinstance(event, WorkOrderCheck) and event.check_in:
            open_visits[event.tech] = event
        else:
            check_in = open_visits.pop(event.tech)
            session.add(WorkOrderVisit(
                request_id=check_in.id, technician_id=event.tech, work_order_id=event.work_order,
                check_in_at=check_in.at, check_out_at=event.at, source="web",
            ))
    session.commit()
    return punches


def decide(session, tech: str, week: date, decision: str = "approved", level: str = "supervisor",
           at: datetime = DECIDED, by: str = "sam") -> None:
    user = session.query(User).filter_by(username=by).one()
    session.add(TimesheetApproval(technician_id=tech, week_start=week, level=level, decision=decision,
                                  decided_by=user.id, decided_at=at))
    session.commit()


def approve_all_but_chen(session) -> None:
    """Every week of T-100, T-200 and T-300; only the first of T-400."""
    for tech in ("T-100", "T-200", "T-300"):
        for week in WEEKS:
            decide(session, tech, week)
    decide(session, "T-400", WEEKS[0])


def move_punch(session, punch: PunchRow, to: datetime, reason: str = "forgot to badge out") -> None:
    user = session.query(User).filter_by(username="sam").one()
    session.add(Correction(
        technician_id=punch.technician_id, created_at=DECIDED, created_by=user.id, reason=reason,
        kind="move_punch", replaces_type="punch", replaces_id=str(punch.id),
        values={"at": to.isoformat(), "action": punch.action},
    ))
    session.commit()
