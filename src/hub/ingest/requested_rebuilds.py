"""Rebuild the drive legs the web asked for (`hub.store.leg_requests`): after a check-in,
a van's assignment or a work-order site's geofence changed, with no new telemetry.

A request names the instants that changed; the legs they can affect are found here, where
the attribution policy is known: a check-in at `at` belongs to a leg that ended between
`at - check_in_after_s` and `at + check_in_before_s`, and an assignment's span decides the
driver of the legs that start in it (widened the same way: a few more legs, one rule). A technician's request covers the vans they drove or
were assigned over that span; a site's, the legs placed at it or ending in its new fence.
The requests taken are deleted in the rebuild's transaction: a crash leaves them pending.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from hub.ingest.drive_legs import rebuild_over
from hub.rules.leg_attribution import AttributionPolicy
from hub.rules.legs import LegPolicy
from hub.store import leg_requests, leg_rows
from hub.store.organisation import WorkOrder

log = logging.getLogger(__name__)
METRES_PER_DEGREE = 111_320.0  # of latitude; of longitude times the cosine of the latitude

Span = tuple[datetime, datetime | None]  # since, until (None: to the van's latest telemetry)


@dataclass(frozen=True)
class RequestsDone:
    requests: int = 0
    legs: int = 0  # drive legs written


def widened(since: datetime, until: datetime | None, policy: AttributionPolicy) -> Span:
    """The instants of the legs a change at [since, until] can re-attribute: a leg whose
    end is up to `check_in_after_s` before a check-in, or `check_in_before_s` after it."""
    return (since - timedelta(seconds=policy.check_in_after_s),
            None if until is None else until + timedelta(seconds=policy.check_in_before_s))


def rounds(spans: list[tuple[str, datetime, datetime | None]]) -> list[dict[str, Span]]:
    """Each van's spans merged where they overlap, dealt into rounds of one span per van
    (one rebuild each), earliest first."""
    by_van: dict[str, list[list]] = {}
    for van, since, until in sorted(spans, key=lambda s: (s[0], s[1])):
        merged = by_van.setdefault(van, [])
        last = merged[-1] if merged else None
        if last is not None and (last[1] is None or since <= last[1]):
            last[1] = None if last[1] is None or until is None else max(last[1], until)
        else:
            merged.append([since, until])
    out: list[dict[str, Span]] = []
    for van, merged in sorted(by_van.items()):
        for n, (since, until) in enumerate(merged):
            if n == len(out):
                out.append({})
            out[n][van] = (since, until)
    return out


def site_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min lat, min lon, max lat, max lon) around a site's geofence."""
    dlat = radius_m / METRES_PER_DEGREE
    dlon = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 1e-6))
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon


def _spans(session: Session, request, policy: AttributionPolicy) -> list[tuple[str, datetime, datetime | None]]:
    """(van, since, until) of the legs one request can affect."""
    if request.work_order_id is not None:
        site = session.get(WorkOrder, request.work_order_id)
        box = site_box(site.lat, site.lon, site.radius_m) if site and site.lat is not None and site.lon is not None else None
        return [
            (van, start, end) for van, start, end in leg_requests.legs_near(session, request.work_order_id, box)
            if (request.since is None or end >= request.since) and (request.until is None or start <= request.until)
        ]
    since, until = widened(request.since, request.until, policy)
    if request.vehicle_id is not None:
        return [(request.vehicle_id, since, until)]
    return [(van, since, until) for van in sorted(
        leg_requests.technician_vans(session, request.technician_id, since, until))]


def rebuild_requested(
    engine: Engine,
    now: datetime,
    leg_policy: LegPolicy = LegPolicy(),
    attribution: AttributionPolicy = AttributionPolicy(),
    limit: int = 100,
) -> RequestsDone:
    """Take up to `limit` pending requests and rebuild the legs they name, in one
    transaction."""
    with Session(engine) as session, session.begin():
        requests = leg_requests.take_pending(session, limit)
        if not requests:
            return RequestsDone()
        spans = [span for request in requests for span in _spans(session, request, attribution)]
        # Every van locked at once, in id order as batches lock theirs: a later round taking
        # another van's lock could otherwise deadlock with a batch holding it.
        leg_rows.lock_vehicles(session, {van for van, _, _ in spans})
        legs = sum(rebuild_over(session, spans_of_round, now, leg_policy, attribution)
                   for spans_of_round in rounds(spans))
    return RequestsDone(len(requests), legs)


class RequestPoller:
    """The consumer's hook: every `every_s` while its stores are idle (and at the latest
    every `overdue_s` under load), rebuild what is pending; again at once while a take
    came back full. A failure is logged and tried again after `overdue_s`: the requests
    stay pending, and telemetry keeps being stored meanwhile."""

    def __init__(self, engine: Engine, leg_policy: LegPolicy, every_s: float = 2.0,
                 overdue_s: float = 30.0, limit: int = 100):
        self.engine, self.leg_policy, self.limit = engine, leg_policy, limit
        self.every_s, self.overdue_s = every_s, overdue_s
        self._last, self._wait = -math.inf, every_s

    def poll(self, idle: bool, clock=time.monotonic) -> RequestsDone:
        since = clock() - self._last
        if since < self._wait or (not idle and since < self.overdue_s):
            return RequestsDone()
        self._last, self._wait = clock(), self.every_s
        try:
            done = rebuild_requested(self.engine, datetime.now(timezone.utc), self.leg_policy, limit=self.limit)
        except Exception:  # any failure: the ingest goes on storing what devices send
            log.exception("rebuilding requested drive legs failed; the requests stay pending")
            self._wait = self.overdue_s
            return RequestsDone()
        if done.requests == self.limit:
            self._last = -math.inf  # more are waiting
        if done.requests:
            log.info("rebuilt drive legs for %d web change(s): %d leg(s)", done.requests, done.legs)
        return done
