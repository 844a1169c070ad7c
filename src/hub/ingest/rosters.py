"""The kiosks' rosters as the store has them now: the store's rows through the pure
builder. Every depot's roster holds the company's technicians, so one is built and each
depot gets a copy under its own id and name."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from depotclock.wire.messages import Roster
from depotclock.wire.shift_limit import AUTO_CLOCK_OUT_AFTER_H
from hub.rules.roster import RosterBadge, RosterPunch, RosterTechnician, build_roster
from hub.store import roster_requests, roster_rows


def depot_rosters(engine: Engine, depots: set[str] | None, now: datetime, seq: int,
                  auto_clock_out_after_h: int = AUTO_CLOCK_OUT_AFTER_H) -> list[Roster]:
    """The rosters of `depots` (None: every depot), all stamped `now` and `seq`; open
    shifts older than `auto_clock_out_after_h` are over ([payroll] setting)."""
    with Session(engine) as session:
        places = roster_rows.depots(session, depots)
        if not places:
            return []
        people, badges, punches = roster_rows.roster_rows(session)
    first_id, first_name = places[0]
    roster = build_roster(
        first_id,
        [RosterTechnician(*p) for p in people],
        [RosterBadge(*b) for b in badges],
        [RosterPunch(p.technician_id, p.action, p.at, str(p.id)) for p in punches],
        now=now, message_id=uuid.uuid4(), seq=seq, auto_clock_out_after_h=auto_clock_out_after_h,
        depot_name=first_name,
    )
    return [roster if id_ == first_id else roster.model_copy(update={"id": uuid.uuid4(), "depot": id_, "depot_name": name})
            for id_, name in places]


def rosters_requested(engine: Engine) -> bool:
    """Whether the web asked for the rosters since last asked (taking its requests)."""
    with Session(engine) as session, session.begin():
        return roster_requests.take_pending(session) > 0
