"""Depot rosters as the store has them now: the store's rows through the pure builder."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from depotclock.wire.messages import Roster
from depotclock.wire.shift_limit import AUTO_CLOCK_OUT_AFTER_H
from hub.rules.roster import RosterBadge, RosterPunch, RosterTechnician, build_roster
from hub.store import roster_rows


def depot_rosters(engine: Engine, depots: set[str] | None, now: datetime, seq: int,
                  auto_clock_out_after_h: int = AUTO_CLOCK_OUT_AFTER_H) -> list[Roster]:
    """The rosters of `depots` (None: every depot), all stamped `now` and `seq`; open
    shifts older than `auto_clock_out_after_h` are over ([payroll] setting)."""
    rosters = []
    with Session(engine) as session:
        for depot in sorted(depots) if depots is not None else roster_rows.depot_ids(session):
            people, badges, punches = roster_rows.roster_rows(session, depot)
            rosters.append(build_roster(
                depot,
                [RosterTechnician(*p) for p in people],
                [RosterBadge(*b) for b in badges],
                [RosterPunch(p.technician_id, p.action, p.at, str(p.id)) for p in punches],
                now=now, message_id=uuid.uuid4(), seq=seq, auto_clock_out_after_h=auto_clock_out_after_h,
            ))
    return rosters
