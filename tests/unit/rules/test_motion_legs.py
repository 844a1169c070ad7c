"""Legs by motion on what real receivers send (issue 20): a silence in a tunnel, a parking
garage, GPS jitter at a stop, a "trip" of 704 s that covers 41 m."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.rules.events import Place
from hub.rules.leg_window import Window, find_window
from hub.rules.legs import Geofence, Leg, LegPolicy, LegSource, Reading, build_legs, metres

T0 = datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)
DEPOT = (41.8868, -87.6866)
SITE = (41.8990, -87.6700)
FAR_SITE = (41.9400, -87.6400)
FENCES = [Geofence(Place.DEPOT, "north", *DEPOT, 150), Geofence(Place.SITE, "WO-7", *SITE, 100),
          Geofence(Place.SITE, "WO-8", *FAR_SITE, 100)]
MOTION = LegPolicy(source=LegSource.MOTION)


def _offset(position: tuple[float, float], north_m: float, east_m: float) -> tuple[float, float]:
    lat, lon = position
    return lat + north_m / 111_195, lon + east_m / (111_195 * math.cos(math.radians(lat)))


class Track:
    """A van unit without an ignition wire: a fix every 5 s on the road, every 30 s parked."""

    def __init__(self, rng: random.Random | None = None):
        self.readings: list[Reading] = []
        self.t, self.position, self.rng = T0, DEPOT, rng or random.Random(20)

    def _fix(self, position: tuple[float, float], speed_kmh: float) -> None:
        self.readings.append(Reading(f"r{len(self.readings):05d}", self.t, lat=position[0], lon=position[1],
                                     speed_kmh=speed_kmh))

    def park(self, seconds: int, every: int = 30, jitter_m: float = 0.0, jitter_kmh: float = 0.0) -> Track:
        """Parked; with jitter, each fix wanders up to `jitter_m` and reads up to `jitter_kmh`."""
        for _ in range(0, seconds, every):
            if jitter_m:
                spot = _offset(self.position, self.rng.uniform(-jitter_m, jitter_m),
                               self.rng.uniform(-jitter_m, jitter_m))
                self._fix(spot, self.rng.uniform(0, jitter_kmh))
            else:
                self._fix(self.position, 0.0)
            self.t += timedelta(seconds=every)
        return self

    def drive_to(self, target: tuple[float, float], seconds: int, silent: range = range(0)) -> Track:
        """At a steady speed; no fixes for the seconds in `silent` (a tunnel, a garage)."""
        start, speed = self.position, metres(self.position, target) / seconds * 3.6
        for s in range(5, seconds + 1, 5):
            self.t += timedelta(seconds=5)
            f = s / seconds
            self.position = (start[0] + (target[0] - start[0]) * f, start[1] + (target[1] - start[1]) * f)
            if s not in silent:
                self._fix(self.position, speed)
        self.position = target
        return self

    def wait(self, seconds: int) -> Track:
        self.t += timedelta(seconds=seconds)
        return self


def _places(legs: list[Leg]) -> list[tuple[Place, str | None, Place, str | None]]:
    return [(leg.origin, leg.origin_ref, leg.destination, leg.destination_ref) for leg in legs]


def test_704_s_covering_41_m_is_no_trip():
    """Issue 20: a leg passed on its duration alone, 704 s of readings at walking pace that
    went 41 m in all (a van shunted about the yard, GPS speed reading 3-5 km/h)."""
    track = Track().park(600)
    for s in range(0, 704, 8):
        track.t = T0 + timedelta(seconds=600 + s)
        track._fix(_offset(DEPOT, 41 * s / 704, 0), 3.0 + (s % 3))
    track.t = T0 + timedelta(seconds=1304)
    track.park(900)
    assert build_legs(track.readings, MOTION, FENCES) == []


def test_a_tunnel_silence_driven_through_stays_one_leg():
    """Ten minutes without a fix in a tunnel, at the speed the van drove on both sides: one
    leg, as Traccar keeps one trip across a gap shorter than an hour."""
    track = Track().park(600).drive_to(FAR_SITE, 1800, silent=range(600, 1200)).park(900)
    (leg,) = build_legs(track.readings, MOTION, FENCES)
    assert _places([leg]) == [(Place.DEPOT, "north", Place.SITE, "WO-8")]
    assert leg.start == T0 + timedelta(seconds=570) and leg.end == T0 + timedelta(seconds=600 + 1800)


def test_a_silence_in_a_parking_garage_is_a_stop():
    """Forty minutes without a fix, the van where it was before: two legs, not one."""
    track = (Track().park(600).drive_to(SITE, 600).drive_to(_offset(SITE, 30, 0), 30).wait(2400)
             .drive_to(DEPOT, 600).park(900))
    assert _places(build_legs(track.readings, MOTION, FENCES)) == [
        (Place.DEPOT, "north", Place.SITE, "WO-7"), (Place.SITE, "WO-7", Place.DEPOT, "north")]


def test_a_silence_too_fast_to_have_been_driven_is_no_bridge():
    """A fix 30 km on after five minutes (360 km/h) is not continued travel."""
    track = Track().park(600).drive_to(SITE, 600)
    track.t += timedelta(seconds=300)
    track.position = _offset(SITE, 30_000, 0)
    track.drive_to(_offset(track.position, 3000, 0), 300).park(900)
    legs = build_legs(track.readings, MOTION, FENCES)
    assert len(legs) == 2 and legs[0].destination_ref == "WO-7"


def test_gps_jitter_at_a_stop_does_not_merge_the_legs():
    """Parked half an hour at the site, fixes wandering 20 m and reading up to 8 km/h: the
    stop ends the first leg when the van arrived (its last moving fix before the first that
    reads standing still), and the second when it leaves (from the first of the moving fixes
    that led away: jitter just before may read as moving too)."""
    track = Track().park(600).drive_to(SITE, 600).park(1800, every=10, jitter_m=20, jitter_kmh=8)
    arrived, left = T0 + timedelta(seconds=1200), track.t
    track.drive_to(DEPOT, 600).park(900)
    legs = build_legs(track.readings, MOTION, FENCES)
    assert _places(legs) == [(Place.DEPOT, "north", Place.SITE, "WO-7"), (Place.SITE, "WO-7", Place.DEPOT, "north")]
    assert arrived <= legs[0].end <= arrived + timedelta(seconds=60)
    assert left - timedelta(seconds=60) <= legs[1].start <= left


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), jitter_m=st.floats(0, 35), jitter_kmh=st.floats(0, 30),
       every=st.sampled_from([2, 5, 30, 300]))
def test_jitter_within_the_stop_radius_never_makes_a_leg(seed, jitter_m, jitter_kmh, every):
    """Fixes that never leave a 70 m square around the spot (35 m either way: each within
    the 100 m radius of any other) are a stop, whatever speed they read."""
    track = Track(random.Random(seed)).park(3600, every=every, jitter_m=jitter_m, jitter_kmh=jitter_kmh)
    assert build_legs(track.readings, MOTION, FENCES) == []


@settings(max_examples=60, deadline=None)
@given(silence_s=st.integers(300, 3500), kmh=st.floats(15, 120), at_fraction=st.floats(0.1, 0.6))
def test_any_silence_under_an_hour_driven_through_keeps_one_leg(silence_s, kmh, at_fraction):
    seconds = int(silence_s / at_fraction)
    target = _offset(DEPOT, kmh / 3.6 * seconds, 0)
    start = int(seconds * (1 - at_fraction) / 2) // 5 * 5
    track = Track().park(600).drive_to(target, seconds, silent=range(start, start + silence_s)).park(900)
    (leg,) = build_legs(track.readings, MOTION, FENCES)
    assert leg.distance_km == pytest.approx(metres(DEPOT, target) / 1000, rel=0.01)


def _jittery_day() -> list[Reading]:
    return (Track().park(600, jitter_m=15, jitter_kmh=6).drive_to(SITE, 600, silent=range(200, 700))
            .park(1800, every=10, jitter_m=20, jitter_kmh=8).drive_to(FAR_SITE, 900)
            .drive_to(_offset(FAR_SITE, 20, 0), 30).wait(2400).drive_to(DEPOT, 1200).park(900).readings)


def test_the_jittery_day_has_its_three_legs():
    assert _places(build_legs(_jittery_day(), MOTION, FENCES)) == [
        (Place.DEPOT, "north", Place.SITE, "WO-7"), (Place.SITE, "WO-7", Place.SITE, "WO-8"),
        (Place.SITE, "WO-8", Place.DEPOT, "north")]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), look_min=st.sampled_from([None, 1, 10, 30, 600]))
def test_batches_in_any_order_give_the_legs_of_one_full_build(seed, look_min):
    """A window rebuilt around each batch (tests/unit/rules/test_leg_window.py's ingest)
    gives the full build's legs on the day with a tunnel, jitter and a garage."""
    day = _jittery_day()
    expected = build_legs(day, MOTION, FENCES)
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, len(day)), rng.randint(1, 25)))
    batches = [day[a:b] for a, b in zip([0, *cuts], [*cuts, len(day)], strict=True)]
    rng.shuffle(batches)
    stored: list[Leg] = []
    known: list[Reading] = []
    for batch in batches:
        everything = known + batch
        lo, hi = min(r.at for r in batch), max(r.at for r in batch)
        look = timedelta(minutes=look_min) if look_min else None
        while True:
            since = lo - look if look is not None else None
            found = find_window([r for r in everything if since is None or r.at >= since], since, None, lo, hi,
                                MOTION)
            if isinstance(found, Window):
                break
            look = look * 4 if look is not None and look < timedelta(days=2) else None
        inside = [r for r in everything if found.start <= r.at and (found.end is None or r.at <= found.end)]
        rebuilt = [leg for leg in build_legs(inside, MOTION, FENCES) if found.end is None or leg.start < found.end]
        stored = sorted([leg for leg in stored if not (found.start <= leg.start and (
            found.end is None or leg.start < found.end))] + rebuilt, key=lambda leg: leg.start)
        known = everything
    assert stored == expected
