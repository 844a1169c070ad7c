"""The live board: who of a depot is clocked in, on break, driving or on site right now,
from the latest state (punches with their corrections, open visits, van ignition), and
when each kiosk and van was last heard from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from depotclock.wire.messages import BreakKind, PunchAction
from depotclock.wire.shift_limit import past_limit
from hub.rules.corrections import apply_corrections
from hub.rules.device_presence import PresencePolicy, presence
from hub.rules.events import Punch
from hub.services.records import correction_event
from hub.settings import PayrollSettings
from hub.store.devices_heard import devices_heard
from hub.store.models import (
    Correction,
    Technician,
    TelemetryEvent,
    VehicleAssignment,
    WorkOrderVisit,
)
from hub.store.models import (
    Punch as PunchRow,
)

STATES = ("driving", "on_site", "on_break", "clocked_in", "off")
LABELS = {"driving": "Driving", "on_site": "On site", "on_break": "On break",
          "clocked_in": "Clocked in", "off": "Off the clock"}
PUNCH_KINDS = ("add_punch", "move_punch", "void_punch", "void_correction")


@dataclass(frozen=True)
class TechnicianNow:
    """Plain values (no ORM objects), so a board can be cached past its session."""

    technician_id: str
    name: str
    state: str
    since: datetime | None
    work_order: str | None
    vehicle: str | None

    @property
    def label(self) -> str:
        return LABELS[self.state]


@dataclass(frozen=True)
class DeviceNow:
    kind: str
    device_id: str
    name: str
    state: str
    last_seen: datetime | None
    backlog: int
    faults: tuple[str, ...]  # what its latest status says is not working, in words
    odometer_km: float | None  # a van's, over OBD-II


def faults(detail: dict) -> tuple[str, ...]:
    """What a device's latest status says is not working: its badge reader, GPS, OBD-II
    adapter or clock, with the device's own reason where it gave one."""
    said = []
    for part, name in (("reader", "badge reader"), ("gps", "GPS"), ("obd", "OBD-II adapter or car")):
        if detail.get(f"{part}_ok") is False:
            said.append(f"{name}: {detail.get(f'{part}_error') or 'not answering'}")
    if detail.get("clock_synced") is False:
        said.append("clock not synchronised")
    return tuple(said)


def _latest_punches(
    session: Session, tech_ids: list[str], lo: datetime, now: datetime
) -> tuple[dict[str, Punch], dict[str, datetime]]:
    """Each technician's latest punch and latest clock-in in `lo`..`now`."""
    events = [
        Punch(str(r.id), r.technician_id, PunchAction(r.action), r.at, BreakKind(r.break_kind) if r.break_kind else None)
        for r in session.execute(
            select(PunchRow.id, PunchRow.technician_id, PunchRow.action, PunchRow.at, PunchRow.break_kind)
            .where(PunchRow.technician_id.in_(tech_ids), PunchRow.at >= lo, PunchRow.at <= now))
    ]
    # A correction of today's punches is made within a day or two of them.
    rows = session.scalars(select(Correction).where(
        Correction.technician_id.in_(tech_ids), Correction.kind.in_(PUNCH_KINDS),
        Correction.created_at >= lo - timedelta(days=2)).order_by(Correction.id))
    corrected = apply_corrections(events, [correction_event(r) for r in rows]).events
    latest: dict[str, Punch] = {}
    clock_ins: dict[str, datetime] = {}
    for event in corrected:
        if isinstance(event, Punch) and lo <= event.at <= now:
            known = latest.get(event.tech)
            if known is None or (event.at, event.id) > (known.at, known.id):
                latest[event.tech] = event
            if event.type is PunchAction.CLOCK_IN:
                clock_ins[event.tech] = max(event.at, clock_ins.get(event.tech, event.at))
    return latest, clock_ins


def _driving(session: Session, tech_ids: list[str], lo: datetime, now: datetime) -> dict[str, str]:
    """technician -> van whose ignition is on now, for vans assigned to them."""
    assigned = {van: tech for van, tech in session.execute(
        select(VehicleAssignment.vehicle_id, VehicleAssignment.technician_id).where(
            VehicleAssignment.technician_id.in_(tech_ids), VehicleAssignment.starts_at <= now,
            or_(VehicleAssignment.ends_at.is_(None), VehicleAssignment.ends_at > now)))}
    if not assigned:
        return {}
    last = (select(TelemetryEvent.vehicle_id, func.max(TelemetryEvent.at).label("at"))
            .where(TelemetryEvent.vehicle_id.in_(list(assigned)), TelemetryEvent.type == "ignition",
                   TelemetryEvent.at >= lo, TelemetryEvent.at <= now)
            .group_by(TelemetryEvent.vehicle_id).subquery())
    on = session.scalars(
        select(TelemetryEvent.vehicle_id).join(last, and_(
            last.c.vehicle_id == TelemetryEvent.vehicle_id, last.c.at == TelemetryEvent.at))
        .where(TelemetryEvent.type == "ignition", TelemetryEvent.ignition_on.is_(True)))
    return {assigned[van]: van for van in on}


def board(session: Session, payroll: PayrollSettings, depot_id: str, now: datetime) -> list[TechnicianNow]:
    technicians = list(session.scalars(
        select(Technician).where(Technician.home_depot_id == depot_id, Technician.active, Technician.tracks_time)
        .order_by(Technician.name)))
    ids = [t.id for t in technicians]
    lo = now - timedelta(hours=payroll.auto_clock_out_after_h)
    punches, clock_ins = _latest_punches(session, ids, lo, now)
    visits = {v.technician_id: v for v in session.scalars(select(WorkOrderVisit).where(
        WorkOrderVisit.technician_id.in_(ids), WorkOrderVisit.check_out_at.is_(None),
        WorkOrderVisit.check_in_at >= lo, WorkOrderVisit.check_in_at <= now)
        .order_by(WorkOrderVisit.check_in_at))}
    driving = _driving(session, ids, lo, now)
    rows = []
    for tech in technicians:
        punch = punches.get(tech.id)
        visit = visits.get(tech.id)
        clocked_in = clock_ins.get(tech.id)
        # A shift whose clock-in is past the auto clock-out limit (before `lo`) is over.
        over = clocked_in is None or past_limit(now - clocked_in, payroll.auto_clock_out_after_h)
        if punch is None or punch.type is PunchAction.CLOCK_OUT or over:
            rows.append(TechnicianNow(tech.id, tech.name, "off", punch.at if punch else None, None, None))
        elif punch.type is PunchAction.BREAK_START:
            rows.append(TechnicianNow(tech.id, tech.name, "on_break", punch.at, None, None))
        elif tech.id in driving:
            rows.append(TechnicianNow(tech.id, tech.name, "driving", None, None, driving[tech.id]))
        elif visit is not None:
            rows.append(TechnicianNow(tech.id, tech.name, "on_site", visit.check_in_at, visit.work_order_id or visit.category_id, None))
        else:
            rows.append(TechnicianNow(tech.id, tech.name, "clocked_in", punch.at, None, None))
    return rows


def open_shifts(session: Session, payroll: PayrollSettings, technician_ids: list[str],
                now: datetime) -> dict[str, datetime]:
    """technician -> the clock-in of their shift still open at `now` (on break or not),
    for those clocked in within the auto clock-out limit and not clocked out since."""
    lo = now - timedelta(hours=payroll.auto_clock_out_after_h)
    punches, clock_ins = _latest_punches(session, technician_ids, lo, now)
    return {tech: clock_ins[tech] for tech, punch in punches.items()
            if punch.type is not PunchAction.CLOCK_OUT and tech in clock_ins
            and not past_limit(now - clock_ins[tech], payroll.auto_clock_out_after_h)}


def devices(session: Session, depot_id: str, policy: PresencePolicy, now: datetime) -> list[DeviceNow]:
    """The depot's kiosks and vans, each online, offline, parked or never seen at `now`."""
    return [DeviceNow(d.kind, d.device_id, d.name, presence(d.heard, policy, now).value, d.heard.last_seen,
                      d.backlog, faults(d.detail), d.detail.get("odometer_km")) for d in devices_heard(session, depot_id)]


def counts(rows: list[TechnicianNow]) -> dict[str, int]:
    return {state: sum(1 for r in rows if r.state == state) for state in STATES}


def local(at: datetime | None, zone: str) -> str:
    return "" if at is None else at.astimezone(ZoneInfo(zone)).strftime("%H:%M")
