"""Rebuilding only the window around new telemetry gives the legs of a full rebuild,
whatever order and batches the telemetry came in (late data from a dead zone, repeats)."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.rules.events import Place
from hub.rules.leg_window import Widen, Window, find_window
from hub.rules.legs import Leg, LegPolicy, LegSource, Reading, build_legs, metres
from tests.unit.ingest.drives import FENCES, readings, recorded_day

SOURCES = {LegSource.IGNITION: True, LegSource.MOTION: False}


def _rebuild(stored: list[Leg], known: list[Reading], new: list[Reading], policy: LegPolicy,
             look: timedelta | None) -> list[Leg]:
    """What ingest does for one batch: find the window (widening the look back as needed),
    rebuild it, keep the stored legs outside it."""
    everything = known + new
    lo, hi = min(r.at for r in new), max(r.at for r in new)
    while True:
        since = lo - look if look is not None else None
        loaded = [r for r in everything if since is None or r.at >= since]
        if policy.source is LegSource.IGNITION:
            loaded = [r for r in loaded if r.on is not None]
        found = find_window(loaded, since, None, lo, hi, policy)
        if isinstance(found, Window):
            break
        assert found.before and not found.after
        look = look * 4 if look is not None and look < timedelta(days=2) else None
    inside = [r for r in everything if found.start <= r.at and (found.end is None or r.at <= found.end)]
    rebuilt = [leg for leg in build_legs(inside, policy, FENCES) if found.end is None or leg.start < found.end]
    kept = [leg for leg in stored
            if not (found.start <= leg.start and (found.end is None or leg.start < found.end))]
    return sorted(kept + rebuilt, key=lambda leg: leg.start)


def _ingest(batches: list[list[Reading]], policy: LegPolicy, look: timedelta | None) -> list[Leg]:
    stored, known = [], []
    for batch in batches:
        stored = _rebuild(stored, known, batch, policy, look)
        known += batch
    return stored


def _batches(items: list[Reading], rng: random.Random) -> list[list[Reading]]:
    """Cut into batches of random size, deliver them in random order, some twice."""
    cuts = sorted(rng.sample(range(1, len(items)), rng.randint(1, 25)))
    batches = [items[a:b] for a, b in zip([0, *cuts], [*cuts, len(items)], strict=True)]
    batches += rng.sample(batches, min(3, len(batches)))
    rng.shuffle(batches)
    return batches


@pytest.mark.parametrize("source", list(LegSource))
def test_the_recorded_day_has_the_expected_legs(source):
    legs = build_legs(readings(recorded_day(SOURCES[source])), LegPolicy(source=source), FENCES)
    assert [(leg.origin, leg.destination) for leg in legs] == [
        (Place.DEPOT, Place.SITE), (Place.SITE, Place.DEPOT)]


def _at(hms: str) -> datetime:
    return datetime.fromisoformat(f"2026-03-02T{hms}").replace(tzinfo=timezone.utc)


DEPOT, SITE, OTHER = (Place.DEPOT, "north"), (Place.SITE, "WO-7"), (Place.OTHER, None)
# The recorded day's legs, as the builder gave them before it was made cheaper (issue #6).
RECORDED_LEGS = {
    (LegSource.IGNITION, 300): [
        ("12:35:00", "12:55:10", (41.886874, -87.68651), (41.899, -87.67), 1.922, DEPOT, SITE),
        ("13:35:10", "13:50:10", (41.898932, -87.670092), (41.8868, -87.6866), 1.92, SITE, DEPOT),
    ],
    (LegSource.IGNITION, 60): [
        ("12:35:00", "12:42:10", (41.886874, -87.68651), (41.893, -87.679), 0.922, DEPOT, OTHER),
        ("12:45:10", "12:55:10", (41.89305, -87.678925), (41.899, -87.67), 0.992, OTHER, SITE),
        ("13:35:10", "13:50:10", (41.898932, -87.670092), (41.8868, -87.6866), 1.92, SITE, DEPOT),
    ],
    (LegSource.MOTION, 300): [
        ("12:34:30", "12:55:10", (41.8868, -87.6866), (41.899, -87.67), 1.933, DEPOT, SITE),
        ("13:34:40", "13:50:10", (41.899, -87.67), (41.8868, -87.6866), 1.931, SITE, DEPOT),
    ],
}


@pytest.mark.parametrize(("source", "merge_stop_s"), list(RECORDED_LEGS))
def test_the_recorded_day_has_these_legs_to_the_metre(source, merge_stop_s):
    policy = LegPolicy(source=source, merge_stop_s=merge_stop_s)
    expected = [Leg(_at(start), _at(end), first, last, km, *origin, *destination)
                for start, end, first, last, km, origin, destination in RECORDED_LEGS[source, merge_stop_s]]
    day = readings(recorded_day(SOURCES[source]))
    assert build_legs(day, policy, FENCES) == expected
    # Ingest passes the items' UUIDs, which order as their strings do.
    by_uuid = [r._replace(id=uuid.UUID(r.id)) for r in day]
    random.Random(6).shuffle(by_uuid)
    assert build_legs(by_uuid, policy, FENCES) == expected


def test_the_recorded_day_s_path_to_the_last_bit():
    fixes = sorted((r for r in readings(recorded_day()) if r.lat is not None), key=lambda r: r.at)
    path = [(r.lat, r.lon) for r in fixes]
    assert sum(metres(a, b) for a, b in zip(path, path[1:])) == 3864.218635199532


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), source=st.sampled_from(list(LegSource)), minute=st.integers(0, 130),
       look_min=st.sampled_from([None, 10, 30, 600]), repeats=st.integers(0, 100))
def test_a_window_is_the_same_whatever_order_or_repeats_the_readings_came_in(
        seed, source, minute, look_min, repeats):
    policy = LegPolicy(source=source)
    day = readings(recorded_day(SOURCES[source]))
    lo = day[0].at + timedelta(minutes=minute)
    since = lo - timedelta(minutes=look_min) if look_min else None
    loaded = [r for r in day if since is None or r.at >= since]
    rng = random.Random(seed)
    late = loaded + rng.choices(loaded, k=repeats if loaded else 0)
    rng.shuffle(late)
    window = find_window(loaded, since, None, lo, lo + timedelta(minutes=1), policy)
    assert find_window(late, since, None, lo, lo + timedelta(minutes=1), policy) == window


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), source=st.sampled_from(list(LegSource)),
       look_min=st.sampled_from([None, 1, 10, 60, 600]))
def test_batches_in_any_order_give_the_legs_of_one_full_build(seed, source, look_min):
    policy = LegPolicy(source=source)
    day = readings(recorded_day(SOURCES[source]))
    expected = build_legs(day, policy, FENCES)
    look = timedelta(minutes=look_min) if look_min else None
    assert _ingest(_batches(day, random.Random(seed)), policy, look) == expected


@pytest.mark.parametrize("merge_stop_s", [0, 60, 300])
def test_a_fuel_stop_merged_or_split_by_policy_survives_any_order(merge_stop_s):
    policy = LegPolicy(merge_stop_s=merge_stop_s)
    day = readings(recorded_day())
    expected = build_legs(day, policy, FENCES)
    assert len(expected) == (2 if merge_stop_s == 300 else 3)
    for seed in range(10):
        assert _ingest(_batches(day, random.Random(seed)), policy, timedelta(minutes=5)) == expected


def test_in_order_telemetry_rebuilds_only_a_short_window():
    """A van on the road: each batch's window starts where its current trip began."""
    policy = LegPolicy()
    day = readings(recorded_day())
    trip_start = [r.at for r in day if r.on is True][1]
    found = find_window([r for r in day if r.on is not None][:3], None, None,
                        trip_start + timedelta(minutes=3), trip_start + timedelta(minutes=4), policy)
    assert found == Window(trip_start, None)


def test_without_an_ignition_change_in_reach_the_window_widens():
    policy = LegPolicy()
    on = Reading("a", datetime(2026, 3, 2, 8, 0).astimezone(), on=True)
    lo = on.at + timedelta(hours=3)
    assert find_window([], lo - timedelta(hours=1), None, lo, lo, policy) == Widen(before=True, after=False)
    assert find_window([on], lo - timedelta(hours=4), None, lo, lo, policy) == Widen(before=True, after=False)
    assert find_window([on], None, None, lo, lo, policy) == Window(on.at, None)
