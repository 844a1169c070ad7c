"""Punches in time order -> shifts with their breaks, and what was missing.

A shift left open is closed automatically once the next clock-in comes or the limit
(`auto_clock_out_after_h`, 18 h by default; `depotclock.wire.shift_limit`) has passed:
at the last recorded work within the limit (a break, a work-order check-out, a drive's
end), never later, so no time is invented; with no work recorded it closes at its
clock-in, 0 hours until a supervisor corrects it. The limit holds whether or not a
clock-out comes later: a clock-out (or break punch) past it is an orphan, flagged and not
counted, so a forgotten clock-out never pays more than the limit.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from depotclock.wire.shift_limit import past_limit
from hub.rules.events import PunchAction
from hub.rules.findings import Code, TimesheetException
from hub.rules.instants import HOUR_US, US, from_us
from hub.rules.policy import TimesheetPolicy
from hub.rules.rounding import RoundedPunch


@dataclass(frozen=True, slots=True)
class Break:
    start: int
    end: int
    meal: bool
    paid: bool
    source_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Shift:
    start: int
    end: int
    breaks: tuple[Break, ...]
    source_ids: tuple[str, ...]
    auto_closed: bool


def paid_stretches(shift: Shift) -> list[tuple[int, int]]:
    """The shift less its unpaid breaks, in order: the time it pays (breaks are in order
    and inside the shift)."""
    stretches, at = [], shift.start
    for item in shift.breaks:
        if not item.paid:
            if item.start > at:
                stretches.append((at, item.start))
            at = max(at, item.end)
    if shift.end > at:
        stretches.append((at, shift.end))
    return stretches


def classify_break(duration_us: int, kind: str | None, policy: TimesheetPolicy) -> tuple[bool, bool]:
    """(meal, paid) for a break. 785.19: a meal is unpaid only when it is a bona fide meal
    period, ordinarily 30 minutes or more; 785.18: rests of up to about 20 minutes are paid.
    A break of unstated kind between the two is paid: the doubt goes to the employee."""
    long_enough = duration_us >= policy.breaks.meal_min_min * 60 * US
    if kind == "meal":
        return True, not long_enough
    if kind == "rest":
        return False, True
    return long_enough, not long_enough


def _local(us: int, tz: ZoneInfo) -> str:
    return from_us(us, tz).strftime("%a %d %b %H:%M")


class _ShiftBuilder:
    def __init__(self, policy: TimesheetPolicy, tz: ZoneInfo, evidence: list[int]):
        self.policy, self.tz, self.evidence = policy, tz, evidence
        self.limit_h = policy.auto_clock_out_after_h
        self.limit = self.limit_h * HOUR_US
        self.shifts: list[Shift] = []
        self.exceptions: list[TimesheetException] = []
        self.start: int | None = None
        self.ids: list[str] = []
        self.breaks: list[Break] = []
        self.open_break: tuple[int, str | None, str] | None = None

    def flag(self, code: Code, at: int, message: str, *ids: str) -> None:
        self.exceptions.append(TimesheetException(code, from_us(at, self.tz), message, ids))

    def close_break(self, end: int, end_id: str | None) -> None:
        assert self.open_break is not None  # every caller checks there is an open break
        start, kind, start_id = self.open_break
        end = max(end, start)
        meal, paid = classify_break(end - start, kind, self.policy)
        ids = (start_id,) if end_id is None else (start_id, end_id)
        self.breaks.append(Break(start, end, meal, paid, ids))
        self.open_break = None

    def close_shift(self, end: int, end_id: str | None, auto: bool) -> None:
        if self.open_break is not None:
            self.flag(
                Code.BREAK_NOT_ENDED, self.open_break[0],
                f"Break started {_local(self.open_break[0], self.tz)} was never ended; "
                f"counted until {_local(end, self.tz)}.", self.open_break[2],
            )
            self.close_break(end, None)
        ids = (*self.ids, end_id) if end_id else tuple(self.ids)
        assert self.start is not None  # every caller checks there is an open shift
        self.shifts.append(Shift(self.start, end, tuple(self.breaks), ids, auto))
        self.start, self.ids, self.breaks = None, [], []

    def auto_close(self, cutoff: int) -> None:
        """Close the open shift at the last recorded work before `cutoff`."""
        start = self.start
        assert start is not None  # both callers check there is an open shift
        last = start
        i = bisect.bisect_right(self.evidence, cutoff)
        if i and self.evidence[i - 1] > start:
            last = self.evidence[i - 1]
        for item in self.breaks:
            last = max(last, item.end)
        if self.open_break is not None:
            last = max(last, self.open_break[0])
        if last > start:
            why = f"closed automatically at {_local(last, self.tz)}, the last recorded work"
        else:
            why = "no work recorded after it, so it counts 0 hours until corrected"
        self.flag(Code.MISSING_CLOCK_OUT, start,
                  f"Clocked in {_local(start, self.tz)} with no clock-out; {why}.", self.ids[0])
        self.close_shift(last, None, auto=True)

    def past_limit(self, start: int, at: int) -> bool:
        return past_limit(timedelta(microseconds=at - start), self.limit_h)

    def feed(self, rounded: RoundedPunch) -> None:
        punch, at = rounded.punch, rounded.at_us
        if punch.type is PunchAction.CLOCK_IN:
            if self.start is not None:
                self.auto_close(min(at, self.start + self.limit))
            self.start, self.ids = at, [punch.id]
            return
        started = self.start
        if started is not None and self.past_limit(started, at):
            self.auto_close(started + self.limit)
            if punch.type is PunchAction.CLOCK_OUT:
                self.flag(Code.LATE_CLOCK_OUT, at,
                          f"Clock-out {_local(at, self.tz)} came more than {self.limit_h} hours "
                          f"after the clock-in {_local(started, self.tz)}; that shift was closed "
                          "automatically, so this clock-out is not counted until corrected.", punch.id)
                return
        if self.start is None:
            self.flag(Code.MISSING_CLOCK_IN, at,
                      f"{punch.type.replace('_', ' ').capitalize()} at {_local(at, self.tz)} "
                      "without a clock-in; not counted until corrected.", punch.id)
            return
        if punch.type is PunchAction.CLOCK_OUT:
            self.close_shift(at, punch.id, auto=False)
        elif punch.type is PunchAction.BREAK_START:
            if self.open_break is not None:
                self.flag(Code.BREAK_NOT_ENDED, self.open_break[0],
                          f"Break started {_local(self.open_break[0], self.tz)} was never "
                          f"ended before the next one at {_local(at, self.tz)}.", self.open_break[2])
                self.close_break(at, None)
            self.open_break = (at, punch.break_kind, punch.id)
        elif self.open_break is None:
            self.flag(Code.BREAK_END_WITHOUT_START, at,
                      f"Break ended {_local(at, self.tz)} without a start; ignored.", punch.id)
        else:
            self.close_break(at, punch.id)

    def finish(self, as_of: int | None) -> None:
        if self.start is None:
            return
        if as_of is not None and not self.past_limit(self.start, as_of):
            self.close_shift(max(as_of, self.start), None, auto=False)  # still on the clock
        else:
            self.auto_close(self.start + self.limit)


def build_shifts(
    punches: list[RoundedPunch],
    policy: TimesheetPolicy,
    tz: ZoneInfo,
    evidence: list[int],
    as_of: int | None,
) -> tuple[list[Shift], list[TimesheetException]]:
    """Pair time-ordered punches into shifts. `evidence`: sorted instants of recorded work
    (drive ends, check-outs); `as_of`: now for a live view (an open shift runs until then),
    None for a closed record (an open shift is auto-closed)."""
    builder = _ShiftBuilder(policy, tz, evidence)
    for rounded in punches:
        builder.feed(rounded)
    builder.finish(as_of)
    return builder.shifts, builder.exceptions
