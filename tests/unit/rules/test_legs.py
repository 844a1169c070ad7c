"""Drive legs from recorded drives: a fuel stop, a tunnel, an idling van, no ignition wire."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.rules.events import Place
from hub.rules.legs import EARTH_M, Geofence, LegPolicy, LegSource, Reading, _steps, build_legs, metres

T0 = datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)
DEPOT = (41.8868, -87.6866)
SITE = (41.8990, -87.6700)
FENCES = [Geofence(Place.DEPOT, "north", *DEPOT, 150), Geofence(Place.SITE, "WO-7", *SITE, 100)]


class Drive:
    """Builds a van's telemetry second by second."""

    def __init__(self):
        self.readings: list[Reading] = []
        self.t = T0
        self.position = DEPOT
        self.n = 0

    def _id(self) -> str:
        self.n += 1
        return f"r{self.n}"

    def ignition(self, on: bool) -> Drive:
        self.readings.append(Reading(self._id(), self.t, on=on))
        return self

    def park(self, seconds: int, every: int = 60) -> Drive:
        for _ in range(0, seconds, every):
            self.readings.append(Reading(self._id(), self.t, lat=self.position[0], lon=self.position[1]))
            self.t += timedelta(seconds=every)
        return self

    def drive_to(self, target, seconds: int, tunnel: range = range(0)) -> Drive:
        start = self.position
        speed = metres(start, target) / seconds * 3.6
        for s in range(1, seconds + 1, 5):
            f = s / seconds
            self.position = (start[0] + (target[0] - start[0]) * f, start[1] + (target[1] - start[1]) * f)
            self.t = self.t + timedelta(seconds=5)
            if s not in tunnel:
                self.readings.append(Reading(self._id(), self.t, lat=self.position[0], lon=self.position[1],
                                             speed_kmh=speed))
        self.position = target
        return self


def test_one_leg_from_the_depot_to_a_site():
    drive = Drive().park(120).ignition(True).drive_to(SITE, 600).ignition(False).park(600)
    (leg,) = build_legs(drive.readings, LegPolicy(), FENCES)
    assert (leg.origin, leg.origin_ref, leg.destination, leg.destination_ref) == (
        Place.DEPOT, "north", Place.SITE, "WO-7")
    assert leg.distance_km == pytest.approx(metres(DEPOT, SITE) / 1000, rel=0.02)


def test_a_fuel_stop_stays_inside_one_leg_or_splits_it_by_policy():
    midway = ((DEPOT[0] + SITE[0]) / 2, (DEPOT[1] + SITE[1]) / 2)
    drive = (Drive().ignition(True).drive_to(midway, 300).ignition(False).park(180)
             .ignition(True).drive_to(SITE, 300).ignition(False).park(60))
    assert len(build_legs(drive.readings, LegPolicy(merge_stop_s=300), FENCES)) == 1
    two = build_legs(drive.readings, LegPolicy(merge_stop_s=60), FENCES)
    assert [leg.destination for leg in two] == [Place.OTHER, Place.SITE]


def test_a_tunnel_gap_does_not_break_the_leg():
    drive = Drive().ignition(True).drive_to(SITE, 600, tunnel=range(200, 330)).ignition(False)
    (leg,) = build_legs(drive.readings, LegPolicy(), FENCES)
    assert leg.destination is Place.SITE


def test_a_van_idling_in_the_yard_is_no_trip():
    drive = Drive().ignition(True).park(900, every=30).ignition(False)
    assert build_legs(drive.readings, LegPolicy(), FENCES) == []


def test_a_unit_without_an_ignition_wire_uses_motion():
    drive = Drive().park(600).drive_to(SITE, 600).park(900).drive_to(DEPOT, 600).park(900)
    legs = build_legs(drive.readings, LegPolicy(source=LegSource.MOTION), FENCES)
    assert [(leg.origin, leg.destination) for leg in legs] == [(Place.DEPOT, Place.SITE), (Place.SITE, Place.DEPOT)]


def test_a_short_shuffle_in_the_yard_is_no_trip_by_motion():
    nearby = (DEPOT[0] + 0.0005, DEPOT[1])
    drive = Drive().park(600).drive_to(nearby, 60).park(900)
    assert build_legs(drive.readings, LegPolicy(source=LegSource.MOTION), FENCES) == []


@settings(max_examples=40, deadline=None)
@given(source=st.sampled_from(list(LegSource)), seed=st.integers(0, 10_000), repeats=st.integers(0, 200))
def test_the_same_legs_whatever_order_or_repeats_the_telemetry_came_in(source, seed, repeats):
    drive = (Drive().park(600).ignition(True).drive_to(SITE, 600).ignition(False).park(900)
             .ignition(True).drive_to(DEPOT, 600).ignition(False).park(900))
    expected = build_legs(drive.readings, LegPolicy(source=source), FENCES)
    rng = random.Random(seed)
    late = drive.readings + rng.choices(drive.readings, k=repeats)
    rng.shuffle(late)
    assert build_legs(late, LegPolicy(source=source), FENCES) == expected
    assert len(expected) == 2


def test_a_leg_still_under_way_waits_for_its_end():
    drive = Drive().ignition(True).drive_to(SITE, 600)
    assert build_legs(drive.readings, LegPolicy(), FENCES) == []


def _haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The textbook haversine, one pair of points at a time."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_M * math.asin(math.sqrt(h))


POINT = st.tuples(st.floats(-90, 90), st.floats(-180, 180))


@settings(max_examples=500, deadline=None)
@given(points=st.lists(POINT, min_size=2, max_size=30))
def test_leg_distances_are_the_textbook_haversine_to_the_last_bit(points):
    """A leg's steps take each fix's radians and cosine once, yet every step is the
    textbook's float for float (`x ** 2` stays: it is not always `x * x` here)."""
    expected = [_haversine(a, b) for a, b in zip(points, points[1:])]
    assert _steps([p[0] for p in points], [p[1] for p in points]) == expected
    assert [metres(a, b) for a, b in zip(points, points[1:])] == expected
