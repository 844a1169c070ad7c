"""Punches made on the web: the technician's phone (their pages or the API with their own
token) and a supervisor's page. The same state machine as the kiosk decides what may be
punched (`depotclock.punch_states`), the location policy where (`hub.rules.punch_location`);
the rosters are published at once so the board and the kiosks see the new state.

Made for a client that queues punches offline: each carries its own `at`, `request_id` and
`sent_at`, taken as every such request is (hub.services.offline_requests).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from depotclock.punch_states import NotNow, Step, check_step
from depotclock.wire.messages import STATE_AFTER, BreakKind, PunchAction, TechState
from depotclock.wire.shift_limit import past_limit
from hub.rules.punch_location import Fence, LocationPolicy, OutsideGeofence, Position, location_flags
from hub.rules.roster import ASKS_BREAK_KIND
from hub.services.approvals import ensure_editable
from hub.services.check_ins import assigned_work_orders
from hub.services.offline_requests import Made, Taken, clock_flags, digest, is_replay, made_at
from hub.services.problems import Invalid
from hub.services.scope import NotAllowed, Viewer
from hub.settings import PayrollSettings, PunchingSettings
from hub.store import punch_rows
from hub.store.models import Depot, Punch, Technician
from hub.store.roster_requests import request_rosters

API_TOPIC = "api/v1/punches"  # a refused replay's dead letter, as if it had come on a topic


@dataclass(frozen=True)
class PunchInput:
    action: PunchAction
    break_kind: BreakKind | None = None
    at: datetime | None = None  # when it was made (an offline phone's queue); None: now
    request_id: str | None = None
    position: Position | None = None
    sent_at: datetime | None = None  # the phone's clock when it sent the punch (not part of what it says)

    @property
    def made(self) -> Made:
        return Made(self.at, self.request_id, self.sent_at)

    def said(self, technician_id: str) -> list:
        """What this request says, for telling a retry from another punch under the same id."""
        p = self.position
        return [technician_id, self.action.value, self.break_kind and self.break_kind.value,
                self.at and self.at.astimezone(timezone.utc).isoformat(), p and [p.lat, p.lon, p.accuracy_m]]


def state_at(session: Session, payroll: PayrollSettings, technician_id: str, at: datetime) -> TechState:
    """Where the technician stands at `at`, as the kiosk's roster has it: their latest punch,
    and off the clock once a shift is open past the auto clock-out limit."""
    action, clock_in = punch_rows.latest_before(session, technician_id, at)
    state = STATE_AFTER[PunchAction(action)] if action else TechState.OFF
    if state is not TechState.OFF and clock_in is not None and past_limit(at - clock_in, payroll.auto_clock_out_after_h):
        return TechState.OFF
    return state


def open_steps_now(session: Session, payroll: PayrollSettings, technician: Technician, now: datetime
                   ) -> tuple[TechState, bool]:
    """The technician's state now and whether a break's kind is asked (the buttons to show)."""
    return state_at(session, payroll, technician.id, now), technician.overtime_policy in ASKS_BREAK_KIND


def fences(session: Session, technician: Technician) -> list[Fence]:
    """Where the technician may punch: every depot, and their open work orders' sites."""
    depots = [Fence(d.name, d.lat, d.lon, d.geofence_radius_m) for d in session.scalars(select(Depot).order_by(Depot.id))]
    sites = [Fence(f"{w.id} {w.customer}", w.lat, w.lon, w.radius_m)
             for w in assigned_work_orders(session, technician.id) if w.lat is not None and w.lon is not None]
    return depots + sites


def _policy(session: Session, settings: PunchingSettings, technician: Technician) -> LocationPolicy:
    own = session.get_one(Depot, technician.home_depot_id).location_policy
    return LocationPolicy(own) if own else settings.location_policy


def _replayed(session: Session, technician: Technician, given: PunchInput, received_at: datetime) -> Punch | None:
    earlier = punch_rows.by_request(session, given.request_id) if given.request_id else None
    if earlier is None or given.request_id is None:
        return None
    taken = Taken(earlier.technician_id or "", earlier.request_digest)
    return earlier if is_replay(session, taken, technician.id, given.request_id, given.said(technician.id),
                                "punch", API_TOPIC, received_at) else None


def punch(session: Session, viewer: Viewer, payroll: PayrollSettings, settings: PunchingSettings,
          technician: Technician, given: PunchInput, now: datetime) -> tuple[Punch, bool]:
    """The punch, and whether it is new (False: a retry of one already taken)."""
    if viewer.role == "technician" and viewer.technician_id != technician.id:
        raise NotAllowed("a technician punches only for themself")
    source = "phone" if viewer.technician_id == technician.id else "supervisor"
    earlier = _replayed(session, technician, given, now)
    if earlier is not None:
        return earlier, False
    at = made_at(given.made, now, settings, "punch")
    ask_kind = technician.overtime_policy in ASKS_BREAK_KIND
    try:
        step: Step = check_step(state_at(session, payroll, technician.id, at), ask_kind, (given.action, given.break_kind))
    except NotNow as exc:
        raise Invalid("action", str(exc)) from None
    flags: list[str] = []
    if source == "phone":
        try:
            flags = location_flags(_policy(session, settings, technician), given.position, fences(session, technician))
        except OutsideGeofence as exc:
            raise Invalid("position", str(exc)) from None
        flags += clock_flags(given.made, at, now, settings)
    zone = ZoneInfo(technician.payroll_timezone)
    ensure_editable(session, payroll, technician.id, at.astimezone(zone).date())
    local = at.astimezone(zone)
    offset = local.utcoffset()
    position = given.position
    row = Punch(
        id=uuid.uuid4(), source=source, at=at, utc_offset_min=int(offset.total_seconds() // 60) if offset else 0,
        received_at=now, action=step[0].value, break_kind=step[1] and step[1].value, technician_id=technician.id,
        flags=flags, lat=position and position.lat, lon=position and position.lon,
        accuracy_m=position and position.accuracy_m, request_id=given.request_id,
        request_digest=given.request_id and digest(given.said(technician.id)),
    )
    session.add(row)
    request_rosters(session, technician.id, now)
    session.flush()
    return row, True
