"""Which stretch of a van's telemetry to rebuild after new items arrived. Pure.

The leg builder (`hub.rules.legs`) starts afresh at a *cut*: an instant before which every
leg is finished and after which nothing depends on what came earlier. Rebuilding the legs
between the last cut before the new items and the first cut after them gives exactly the
legs a build over all the van's telemetry would, whatever order the items arrived in.

A cut before the new items (earlier than `lo`) is judged on old readings only; a cut after
them (later than `hi`) on what new readings cannot make true: both are cuts before and
after the batch alike, so the stored legs outside the window stay right.

- ignition: the ignition is off and has been for `merge_stop_s` (no fuel-stop merge can
  reach across), judged on the last ignition change before the cut.
- motion: a stationary fix with no moving fix in the `min_parking_s` before it (any trip
  under way has ended there, and the van rests where it is), or the first fix after a gap
  of `gap_s`. Moving includes the far side of a silence the van drove through, which
  depends on the fix before it: the first loaded fix counts as moving unless no fix can
  be within `gap_s` before it, and a cut after the new items needs an old fix between
  them and its `min_parking_s`, so that the fixes it is judged on follow the same fixes
  with or without the new ones.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Final

from hub.rules.legs import LegPolicy, LegSource, Reading, in_order, motion_flags, parked

TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class Window:
    """Rebuild the legs that start at or after `start` and before `end` (None: no end),
    from the readings with `start <= at <= end`."""

    start: datetime
    end: datetime | None


@dataclass(frozen=True)
class Widen:
    """The loaded readings do not reach a cut: load more on that side and ask again."""

    before: bool
    after: bool


def find_window(
    readings: list[Reading],
    since: datetime | None,
    until: datetime | None,
    lo: datetime,
    hi: datetime,
    policy: LegPolicy,
) -> Window | Widen:
    """`readings`: the van's readings with `since <= at <= until` (None: unbounded), in
    any order; for ignition legs the ignition changes are enough. `lo`/`hi`: the earliest
    and latest new item."""
    if policy.source is LegSource.IGNITION:
        changes = sorted([r for r in readings if r.on is not None], key=in_order)
        merge = max(timedelta(seconds=policy.merge_stop_s), TICK)
        start = _ignition_start(changes, since, lo, merge)
        end = _ignition_end(changes, until, hi, merge)
    else:
        fixes = sorted({r.id: r for r in readings if r.lat is not None}.values(), key=in_order)
        ats = [f.at for f in fixes]
        flags = motion_flags(fixes, policy)
        gap, parking = timedelta(seconds=policy.gap_s), timedelta(seconds=policy.min_parking_s)
        if fixes and since is not None and ats[0] - since < gap:
            flags[0] = True  # the fix before it is not loaded: it may end a bridged silence
        moving = [at for at, flag in zip(ats, flags) if flag]
        start = _motion_start(ats, moving, since, lo, gap, parking)
        end = _motion_end(ats, moving, until, hi, gap, parking)
    if start is None or end is _MORE:
        return Widen(before=start is None, after=end is _MORE)
    return Window(start, end)


class _More(Enum):
    MORE = "more"


_MORE: Final = _More.MORE  # the loaded readings end before a cut after `hi` could be found


def _ignition_start(changes: list[Reading], since: datetime | None, lo: datetime, merge: timedelta) -> datetime | None:
    """The latest cut at or before `lo`, or None when the loaded changes do not show one.
    `merge`: the shortest engine-off stop that ends a leg."""
    before = [r for r in changes if r.at < lo]
    cut, i = lo, len(before) - 1
    while True:
        if i < 0:
            return cut if since is None else None
        previous = before[i]
        if previous.on is False and cut - previous.at >= merge:
            return cut
        cut = previous.at
        while i >= 0 and before[i].at == cut:
            i -= 1


def _ignition_end(changes: list[Reading], until: datetime | None, hi: datetime, merge: timedelta) -> datetime | None | _More:
    """The earliest cut after `hi`, None for "no cut: to the end", or _MORE."""
    after = [r for r in changes if r.at > hi]
    for k, change in enumerate(after):
        if change.on is not False:
            continue
        cut = change.at + merge
        following = after[k + 1] if k + 1 < len(after) else None
        if following is not None:
            if following.at >= cut:
                return cut
        elif until is None or until >= cut:
            return cut
    return None if until is None else _MORE


def _motion_start(ats: list[datetime], moving: list[datetime], since: datetime | None, lo: datetime, gap: timedelta,
                  parking: timedelta) -> datetime | None:
    before = bisect_left(ats, lo)  # the fixes before `lo` are ats[:before]

    def after_gap(k: int, at: datetime) -> bool:  # no fix in the `gap_s` before `at`
        if k > 0:
            return at - ats[k - 1] >= gap and ats[k - 1] < at
        return since is None or since <= at - gap

    if after_gap(before, lo):
        return lo
    for k in range(before - 1, -1, -1):
        at = ats[k]
        if after_gap(k, at):
            return at
        if (since is None or since <= at - parking) and parked(ats, moving, k, parking):
            return at
    return None


def _motion_end(ats: list[datetime], moving: list[datetime], until: datetime | None, hi: datetime, gap: timedelta,
                parking: timedelta) -> datetime | None | _More:
    for k in range(bisect_right(ats, hi), len(ats)):
        # New fixes (all at or before `hi`) can only take a cut away, never make one, so a
        # cut here holds before the batch too.
        if k > 0 and ats[k] - ats[k - 1] >= gap:
            return ats[k]
        settled = bisect_right(ats, ats[k] - parking) - 1  # the last fix a `parking` before
        if settled >= 0 and ats[settled] > hi and parked(ats, moving, k, parking):
            return ats[k]
    return None if until is None else _MORE
