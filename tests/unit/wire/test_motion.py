"""Issue 20, item 3: one definition of moving (depotclock.wire.motion) for the van's unit
and the hub. A van crawling at 3-5 km/h in traffic used to reach the hub as a heartbeat
fix every 300 s (the unit counted motion from 5 km/h), each one moving to the hub (from
3 km/h), which ended a trip after 300 s without motion: a chain of short legs. Now the
unit's fixes, cut by the hub's default leg rules, make one leg."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from depotclock.wire.motion import MOVING_KMH, PARKED_HEARTBEAT_S, STOP_AFTER_S
from firmware.gps import Fix, FixFilter
from hub.rules.legs import LegSource, Reading, build_legs
from hub.settings import DriveLegSettings

T0 = datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc)
LAT, LON = 41.88, -87.68
METRES_PER_DEG_LON = 111_320 * math.cos(math.radians(LAT))


def crawl(kmh_at) -> list[Fix]:
    """A fix a second for an hour: parked 10 min, a crawl eastward at `kmh_at(s)` for
    30 min, parked 20 min."""
    fixes, east_m = [], 0.0
    for s in range(3600):
        kmh = kmh_at(s) if 600 <= s < 2400 else 0.0
        east_m += kmh / 3.6
        fixes.append(Fix(T0 + timedelta(seconds=s), LAT, LON + east_m / METRES_PER_DEG_LON, kmh, 90.0, 4.0, 3))
    return fixes


@pytest.mark.parametrize("kmh_at", [lambda s: 4.0, lambda s: 3.0 + (s % 200) / 100, lambda s: 4.9],
                         ids=["4 km/h", "3 to 5 km/h", "4.9 km/h"])
def test_a_van_crawling_at_3_to_5_kmh_is_one_leg(kmh_at):
    gate = FixFilter()
    sent = [f for f in crawl(kmh_at) if gate.accept(f)]
    readings = [Reading(n, f.at, lat=f.lat, lon=f.lon, speed_kmh=f.speed_kmh) for n, f in enumerate(sent)]
    policy = DriveLegSettings().policy()
    legs = build_legs(readings, replace(policy, source=LegSource.MOTION), [])
    assert len(legs) == 1
    [leg] = legs
    # it starts at the fix before the first moving one (the last parked heartbeat)
    assert T0 + timedelta(seconds=600 - PARKED_HEARTBEAT_S) <= leg.start < T0 + timedelta(seconds=600)
    assert abs(leg.end - (T0 + timedelta(seconds=2399))) < timedelta(seconds=5)
    assert leg.distance_km > 1.9


def test_the_hub_cannot_count_motion_below_the_units_threshold():
    with pytest.raises(ValueError, match="moving_kmh"):
        DriveLegSettings(moving_kmh=MOVING_KMH - 1)
    with pytest.raises(ValueError, match="min_parking_s"):
        DriveLegSettings(min_parking_s=PARKED_HEARTBEAT_S)
    assert DriveLegSettings().policy().min_parking_s == STOP_AFTER_S
