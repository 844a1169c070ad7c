"""Who a badge is and where the technician stands, as this kiosk knows it: the hub's last
roster, plus the punches this kiosk made since. Pure: instants are passed in.

The hub's roster wins for a technician once it is as new as this kiosk's last punch of
them; until then (offline, or the hub not caught up) the kiosk's own punch decides.
A shift open for more than the roster's auto clock-out limit is over
(`depotclock.wire.shift_limit`, the hub's rule too): the technician stands off the clock,
so the next tap clocks in, even when the hub has not said so yet (offline, or no roster
since the limit passed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from depotclock.wire.messages import STATE_AFTER, PunchAction, Roster, RosterEntry, TechState
from depotclock.wire.shift_limit import AUTO_CLOCK_OUT_AFTER_H, past_limit


@dataclass(frozen=True)
class Technician:
    tech: str
    name: str
    state: TechState
    since: datetime | None
    closed_shift: datetime | None = None  # clock-in of a shift closed automatically
    ask_break_kind: bool = False  # their rules need meal vs rest
    language: str | None = None  # the screen speaks it to them (None: the kiosk's own)


_Standing = tuple[TechState, datetime | None, datetime | None]  # state, since, shift start


class RosterBook:
    def __init__(self, roster: Roster | None = None):
        self.roster: Roster | None = None
        self._by_badge: dict[str, str] = {}  # badge -> tech
        self.entries: dict[str, RosterEntry] = {}  # tech -> the hub's entry
        self._everyone_asks = False
        self._hub_state: dict[str, _Standing] = {}
        self._own: dict[str, tuple[TechState, datetime, datetime | None]] = {}  # this kiosk's latest punches
        if roster is not None:
            self.load(roster)

    @property
    def auto_clock_out_after_h(self) -> int:
        return self.roster.auto_clock_out_after_h if self.roster is not None else AUTO_CLOCK_OUT_AFTER_H

    def load(self, roster: Roster) -> bool:
        """Take a roster from the hub; False (and ignored) if older than the one held."""
        if self.roster is not None and roster.at < self.roster.at:
            return False
        self.roster = roster
        self._by_badge = {b: e.tech for e in roster.technicians for b in e.badges}
        self.entries = {e.tech: e for e in roster.technicians}
        # A hub that says it only of the whole roster (before entries carried it): everyone.
        self._everyone_asks = roster.ask_break_kind and not any(e.ask_break_kind for e in roster.technicians)
        self._hub_state = {e.tech: (e.state, e.since, e.shift_start) for e in roster.technicians}
        for tech, (_, at, _) in list(self._own.items()):
            since = self._hub_state.get(tech, (None, None, None))[1]
            if since is not None and since >= at:
                del self._own[tech]
        return True

    def _standing(self, tech: str) -> _Standing:
        return self._own.get(tech) or self._hub_state.get(tech, (TechState.OFF, None, None))

    def lookup(self, badge_id: str, now: datetime) -> Technician | None:
        """Who holds `badge_id` and where they stand at `now`."""
        tech = self._by_badge.get(badge_id)
        return None if tech is None else self.technician(tech, now)

    def technician(self, tech: str, now: datetime) -> Technician | None:
        """Where technician `tech` stands at `now` (None: not on the roster)."""
        entry = self.entries.get(tech)
        if entry is None:
            return None
        ask = entry.ask_break_kind or self._everyone_asks
        state, since, shift_start = self._standing(tech)
        if shift_start is not None and (
            state is TechState.OFF or past_limit(now - shift_start, self.auto_clock_out_after_h)
        ):
            return Technician(tech, entry.name, TechState.OFF, since, closed_shift=shift_start, ask_break_kind=ask,
                              language=entry.language)
        return Technician(tech, entry.name, state, since, ask_break_kind=ask, language=entry.language)

    def punched(self, tech: str, action: PunchAction, at: datetime) -> None:
        """Record this kiosk's own punch, so the next tap sees its effect at once."""
        if action is PunchAction.CLOCK_IN:
            shift_start = at
        elif action is PunchAction.CLOCK_OUT:
            shift_start = None
        else:
            shift_start = self._standing(tech)[2]
        self._own[tech] = (STATE_AFTER[action], at, shift_start)

    def __len__(self) -> int:
        return len(self._hub_state)
