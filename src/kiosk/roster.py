"""Who a badge is and where the technician stands, as this kiosk knows it: the hub's last
roster, plus the punches this kiosk made since. Pure: instants are passed in.

The hub's roster wins for a technician once it is as new as this kiosk's last punch of
them; until then (offline, or the hub not caught up) the kiosk's own punch decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from depotclock.wire.messages import STATE_AFTER, PunchAction, Roster, TechState


@dataclass(frozen=True)
class Technician:
    tech: str
    name: str
    state: TechState
    since: datetime | None


class RosterBook:
    def __init__(self, roster: Roster | None = None):
        self.roster: Roster | None = None
        self._by_badge: dict[str, tuple[str, str]] = {}  # badge -> (tech, name)
        self._hub_state: dict[str, tuple[TechState, datetime | None]] = {}
        self._own: dict[str, tuple[TechState, datetime]] = {}  # this kiosk's latest punches
        if roster is not None:
            self.load(roster)

    @property
    def ask_break_kind(self) -> bool:
        return self.roster is not None and self.roster.ask_break_kind

    def load(self, roster: Roster) -> bool:
        """Take a roster from the hub; False (and ignored) if older than the one held."""
        if self.roster is not None and roster.at < self.roster.at:
            return False
        self.roster = roster
        self._by_badge = {b: (e.tech, e.name) for e in roster.technicians for b in e.badges}
        self._hub_state = {e.tech: (e.state, e.since) for e in roster.technicians}
        for tech, (_, at) in list(self._own.items()):
            since = self._hub_state.get(tech, (None, None))[1]
            if since is not None and since >= at:
                del self._own[tech]
        return True

    def lookup(self, badge_id: str) -> Technician | None:
        found = self._by_badge.get(badge_id)
        if found is None:
            return None
        tech, name = found
        state, since = self._own.get(tech) or self._hub_state.get(tech, (TechState.OFF, None))
        return Technician(tech, name, state, since)

    def punched(self, tech: str, action: PunchAction, at: datetime) -> None:
        """Record this kiosk's own punch, so the next tap sees its effect at once."""
        self._own[tech] = (STATE_AFTER[action], at)

    def __len__(self) -> int:
        return len(self._hub_state)
