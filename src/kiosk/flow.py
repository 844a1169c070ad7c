"""What a tap means at the kiosk, as a pure state machine around the shared one
(`depotclock.punch_states`, which the technician's phone asks too).

Off the clock, a tap clocks in (so too after a shift open past the auto clock-out
limit, which the roster book counts as over); on a break, a tap ends it; at work, the kiosk asks
Break or Clock out and takes the default when nobody answers in time. A second tap of the same badge within
`double_read_s` is a double read. A punch keeps the instant of its tap, even when the
answer comes seconds later. Time is passed in: `mono` is a monotonic reading in seconds,
`at` the wall-clock instant of the tap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from depotclock.punch_states import MEANING, ONE_STEP, Option, accepts, answers
from depotclock.wire.messages import BreakKind, PunchAction
from kiosk.readers.base import BadgeRead
from kiosk.roster import RosterBook, Technician


@dataclass(frozen=True)
class Tap:
    """A badge read, or (`read` None) a technician's PIN accepted on the touch screen."""

    read: BadgeRead | None
    mono: float
    at: datetime


@dataclass(frozen=True)
class Record:
    """Journal this punch, then tell the technician."""

    tap: Tap
    tech: Technician
    action: PunchAction
    break_kind: BreakKind | None = None
    by_default: bool = False


@dataclass(frozen=True)
class Unknown:
    """A badge nobody on the roster holds: record the read for enrollment."""

    tap: Tap


@dataclass(frozen=True)
class DoubleRead:
    tap: Tap


@dataclass(frozen=True)
class Ask:
    """Offer `options`; `default` is taken at monotonic time `deadline`."""

    tap: Tap
    tech: Technician
    options: tuple[Option, ...]
    default: Option
    deadline: float


Decision = Record | Unknown | DoubleRead | Ask


class PunchFlow:
    def __init__(
        self,
        roster: RosterBook,
        double_read_s: float = 3.0,
        answer_s: float = 6.0,
        default: Option = Option.CLOCK_OUT,
    ):
        self.roster, self.double_read_s, self.answer_s, self.default = roster, double_read_s, answer_s, default
        self.pending: Ask | None = None
        self._last_tap: dict[str, float] = {}  # badge id -> monotonic time of its last tap

    def tap(self, tap: Tap) -> list[Decision]:
        assert tap.read is not None  # a badge's tap; a PIN comes through pin()
        badge = tap.read.badge_id
        last = self._last_tap.get(badge)
        if last is not None and tap.mono - last < self.double_read_s:
            return [DoubleRead(tap)]
        self._last_tap[badge] = tap.mono
        decisions = self._answer(self.pending.default, by_default=True) if self.pending else []
        tech = self.roster.lookup(badge, tap.at)
        if tech is None:
            return decisions + [Unknown(tap)]
        return decisions + self._decide(tap, tech)

    def pin(self, tap: Tap, tech: Technician) -> list[Decision]:
        """`tech` entered their PIN (checked by the caller): the same as their badge's tap."""
        decisions = self._answer(self.pending.default, by_default=True) if self.pending else []
        return decisions + self._decide(tap, tech)

    def _decide(self, tap: Tap, tech: Technician) -> list[Decision]:
        step = ONE_STEP.get(tech.state)
        if step is not None:
            return [self._record(tap, tech, *step)]
        options = answers(tech.ask_break_kind)
        default = self.default if self.default in options else Option.CLOCK_OUT
        self.pending = Ask(tap, tech, options, default, tap.mono + self.answer_s)
        return [self.pending]

    def choose(self, option: Option) -> list[Decision]:
        """The technician answered (button or touch). A plain Break where Meal or Rest is
        asked is a break of unstated kind, which the hub classifies by its length."""
        if self.pending is None:
            return []
        if not accepts(self.pending.options, option):
            return []
        return self._answer(option, by_default=False)

    def tick(self, mono: float) -> list[Decision]:
        if self.pending is not None and mono >= self.pending.deadline:
            return self._answer(self.pending.default, by_default=True)
        return []

    def _answer(self, option: Option, by_default: bool) -> list[Decision]:
        ask, self.pending = self.pending, None
        assert ask is not None  # every caller answers a pending ask
        action, kind = MEANING[option]
        return [self._record(ask.tap, ask.tech, action, kind, by_default)]

    def _record(
        self, tap: Tap, tech: Technician, action: PunchAction,
        kind: BreakKind | None = None, by_default: bool = False,
    ) -> Record:
        self.roster.punched(tech.tech, action, tap.at)
        return Record(tap, tech, action, kind, by_default)
