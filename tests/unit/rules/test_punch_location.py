"""Where a phone punch may be made from (issue 19): North Depot's fence is 150 m around
41.88, -87.68; a thousandth of a degree of latitude is 111 m."""

from __future__ import annotations

import pytest

from hub.rules.punch_location import (
    NO_POSITION,
    OUTSIDE_GEOFENCE,
    Fence,
    LocationPolicy,
    OutsideGeofence,
    Position,
    location_flags,
)

DEPOT = Fence("North Depot", 41.88, -87.68, 150)
SITE = Fence("WO-7 Lakeview Dental", 41.94, -87.65, 100)
AT_DEPOT, NEAR_DEPOT, AWAY = Position(41.881, -87.68), Position(41.8815, -87.68, 40), Position(41.90, -87.70, 10)


@pytest.mark.parametrize(("policy", "position", "flags"), [
    (LocationPolicy.ANYWHERE, AWAY, []),
    (LocationPolicy.ANYWHERE, None, []),
    (LocationPolicy.FLAG_OUTSIDE, AT_DEPOT, []),
    (LocationPolicy.FLAG_OUTSIDE, NEAR_DEPOT, []),  # 167 m: within 150 m give or take its 40 m
    (LocationPolicy.FLAG_OUTSIDE, AWAY, [OUTSIDE_GEOFENCE]),
    (LocationPolicy.FLAG_OUTSIDE, None, [NO_POSITION]),
    (LocationPolicy.REFUSE_OUTSIDE, None, [NO_POSITION]),  # flagged, not lost
    (LocationPolicy.REFUSE_OUTSIDE, Position(41.94, -87.6505), []),  # at the work order's site
])
def test_each_policy_flags_or_takes_a_punch(policy, position, flags):
    assert location_flags(policy, position, [DEPOT, SITE]) == flags


def test_refused_outside_the_fences_saying_where_one_may_clock_in():
    with pytest.raises(OutsideGeofence, match="clock in at: North Depot, WO-7 Lakeview Dental"):
        location_flags(LocationPolicy.REFUSE_OUTSIDE, AWAY, [DEPOT, SITE])


def test_a_vague_position_earns_at_most_100_m_of_benefit():
    vague = Position(41.8828, -87.68, 5000)  # 311 m from the depot
    assert location_flags(LocationPolicy.FLAG_OUTSIDE, vague, [DEPOT]) == [OUTSIDE_GEOFENCE]
    assert location_flags(LocationPolicy.FLAG_OUTSIDE, Position(41.8820, -87.68, 90), [DEPOT]) == []  # 222 m
