"""The pure parts of rebuilding requested legs: which instants a change reaches, one span
per van per rebuild, a site's box, and when the consumer's poller takes requests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hub.ingest import requested_rebuilds
from hub.ingest.requested_rebuilds import (
    RequestPoller,
    RequestsDone,
    rounds,
    site_box,
    widened,
)
from hub.rules.leg_attribution import AttributionPolicy
from hub.rules.legs import LegPolicy, metres

T = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)


def at(minutes: int) -> datetime:
    return T + timedelta(minutes=minutes)


def test_a_check_in_reaches_legs_ending_up_to_after_s_before_and_before_s_after_it():
    policy = AttributionPolicy(check_in_before_s=900, check_in_after_s=1800)
    assert widened(at(0), at(0), policy) == (at(-30), at(15))
    assert widened(at(0), None, policy) == (at(-30), None)


def test_overlapping_spans_of_a_van_merge_and_disjoint_ones_go_to_later_rounds():
    spans = [("van-1", at(0), at(10)), ("van-1", at(5), at(20)), ("van-2", at(0), at(5)),
             ("van-1", at(60), at(70)), ("van-1", at(65), None)]
    assert rounds(spans) == [
        {"van-1": (at(0), at(20)), "van-2": (at(0), at(5))},
        {"van-1": (at(60), None)},
    ]


def test_an_open_span_swallows_every_later_one():
    assert rounds([("van-1", at(0), None), ("van-1", at(90), at(95))]) == [{"van-1": (at(0), None)}]
    assert rounds([]) == []


def test_a_site_box_holds_its_geofence():
    south, west, north, east = site_box(41.899, -87.67, 100)
    assert metres((south, -87.67), (north, -87.67)) > 199
    assert metres((41.899, west), (41.899, east)) > 199
    assert north - south < 0.002


def test_the_poller_waits_while_stores_are_busy_until_requests_are_overdue(monkeypatch):
    taken = []

    def rebuild(engine, now, leg_policy, limit):
        taken.append(limit)
        return RequestsDone(requests=limit if len(taken) == 1 else 0)

    monkeypatch.setattr(requested_rebuilds, "rebuild_requested", rebuild)
    clock = [100.0]
    poller = RequestPoller(None, LegPolicy(), every_s=2, overdue_s=30, limit=5)
    poller.poll(idle=True, clock=lambda: clock[0])  # a full take: more are waiting
    poller.poll(idle=True, clock=lambda: clock[0])
    assert len(taken) == 2
    clock[0] += 1
    poller.poll(idle=True, clock=lambda: clock[0])
    assert len(taken) == 2  # not due yet
    clock[0] += 5
    poller.poll(idle=False, clock=lambda: clock[0])
    assert len(taken) == 2  # busy, not overdue
    clock[0] += 30
    poller.poll(idle=False, clock=lambda: clock[0])
    assert len(taken) == 3


def test_a_failed_take_is_logged_and_tried_again_after_overdue_s(monkeypatch, caplog):
    calls = []

    def fails(engine, now, leg_policy, limit):
        calls.append(now)
        raise RuntimeError("database went away")

    monkeypatch.setattr(requested_rebuilds, "rebuild_requested", fails)
    clock = [0.0]
    poller = RequestPoller(None, LegPolicy(), every_s=2, overdue_s=30)
    assert poller.poll(idle=True, clock=lambda: clock[0]) == RequestsDone()
    assert "requests stay pending" in caplog.text
    clock[0] += 10
    poller.poll(idle=True, clock=lambda: clock[0])
    assert len(calls) == 1
    clock[0] += 25
    poller.poll(idle=True, clock=lambda: clock[0])
    assert len(calls) == 2
