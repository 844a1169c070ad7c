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
  under way has ended there), or the first fix after a gap of `gap_s`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.rules.legs import LegPolicy, LegSource, Reading

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
    ordered = sorted(readings, key=lambda r: (r.at, r.id))
    if policy.source is LegSource.IGNITION:
        changes = [r for r in ordered if r.on is not None]
        start = _ignition_start(changes, since, lo, policy)
        end = _ignition_end(changes, until, hi, policy)
    else:
        fixes = [r for r in ordered if r.lat is not None]
        start = _motion_start(fixes, since, lo, policy)
        end = _motion_end(fixes, until, hi, policy)
    if start is None or end is _MORE:
        return Widen(before=start is None, after=end is _MORE)
    return Window(start, end)


_MORE = object()  # the loaded readings end before a cut after `hi` could be found


def _merge_gap(policy: LegPolicy) -> timedelta:
    return max(timedelta(seconds=policy.merge_stop_s), TICK)


def _ignition_start(changes: list[Reading], since, lo: datetime, policy: LegPolicy):
    """The latest cut at or before `lo`, or None when the loaded changes do not show one."""
    before = [r for r in changes if r.at < lo]
    cut, i = lo, len(before) - 1
    while True:
        if i < 0:
            return cut if since is None else None
        previous = before[i]
        if previous.on is False and cut - previous.at >= _merge_gap(policy):
            return cut
        cut = previous.at
        while i >= 0 and before[i].at == cut:
            i -= 1


def _ignition_end(changes: list[Reading], until, hi: datetime, policy: LegPolicy):
    """The earliest cut after `hi`, None for "no cut: to the end", or _MORE."""
    after = [r for r in changes if r.at > hi]
    for k, change in enumerate(after):
        if change.on is not False:
            continue
        cut = change.at + _merge_gap(policy)
        following = after[k + 1] if k + 1 < len(after) else None
        if following is not None:
            if following.at >= cut:
                return cut
        elif until is None or until >= cut:
            return cut
    return None if until is None else _MORE


def _moving(fix: Reading, policy: LegPolicy) -> bool:
    return fix.speed_kmh >= policy.moving_kmh


def _parked(fixes: list[Reading], policy: LegPolicy) -> list[bool]:
    """For each fix: it is the first of its instant, no fix at that instant moves, and
    none moved in the `min_parking_s` before it (as far as `fixes` go)."""
    parking = timedelta(seconds=policy.min_parking_s)
    parked, last_moving = [False] * len(fixes), None
    k = 0
    while k < len(fixes):
        at, j = fixes[k].at, k
        while j < len(fixes) and fixes[j].at == at:
            j += 1
        still = not any(_moving(f, policy) for f in fixes[k:j])
        parked[k] = still and (last_moving is None or last_moving <= at - parking)
        if not still:
            last_moving = at
        k = j
    return parked


def _motion_start(fixes: list[Reading], since, lo: datetime, policy: LegPolicy):
    gap, parking = timedelta(seconds=policy.gap_s), timedelta(seconds=policy.min_parking_s)
    before = [f for f in fixes if f.at < lo]

    def after_gap(k: int, at: datetime) -> bool:  # no fix in the `gap_s` before `at`
        if k > 0:
            return at - before[k - 1].at >= gap and before[k - 1].at < at
        return since is None or since <= at - gap

    if after_gap(len(before), lo):
        return lo
    parked = _parked(before, policy)
    for k in range(len(before) - 1, -1, -1):
        at = before[k].at
        if after_gap(k, at):
            return at
        if (since is None or since <= at - parking) and parked[k]:
            return at
    return None


def _motion_end(fixes: list[Reading], until, hi: datetime, policy: LegPolicy):
    gap = timedelta(seconds=policy.gap_s)
    parked = _parked(fixes, policy)
    for k, fix in enumerate(fixes):
        if fix.at <= hi:
            continue
        # New fixes (all at or before `hi`) can only take a cut away, never make one, so a
        # cut here holds before the batch too.
        if k > 0 and fix.at - fixes[k - 1].at >= gap:
            return fix.at
        if parked[k]:
            return fix.at
    return None if until is None else _MORE
