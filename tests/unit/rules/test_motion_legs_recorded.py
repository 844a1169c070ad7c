"""Legs by motion on recorded trajectories nobody here wrote (issue 20, items 4 and 5):
the cases and how their expected trips are read off the recordings are in
`recorded_drives.py`. Each test failed on the rules before issue 20."""

from __future__ import annotations

from datetime import datetime, timedelta

from hub.rules.legs import Leg, LegPolicy, LegSource, build_legs, metres
from tests.unit.rules import recorded_drives

MOTION = LegPolicy(source=LegSource.MOTION)
TOLERANCE = timedelta(seconds=60)  # a leg's start or end against the recording's own


def legs_of(case: recorded_drives.Case) -> list[Leg]:
    return build_legs(case.readings(), MOTION, [])


def spans(legs: list[Leg]) -> list[tuple[datetime, datetime]]:
    return [(leg.start, leg.end) for leg in legs]


def close(actual: datetime, expected: datetime) -> bool:
    return abs(actual - expected) <= TOLERANCE


def test_a_receiver_standing_still_ten_minutes_is_no_trip():
    """gpsd's sirf2 recording: 614 s in which the positions wander 37 m (a path of 620 m
    fix to fix) and read up to walking pace and more, from a receiver that never moved.
    The rules before issue 20 made a leg of it on duration alone (the issue's "704 s
    covering 41 m")."""
    case = recorded_drives.standing()
    assert max(metres(case.fixes[0][1:], f[1:]) for f in case.fixes) < 100  # the stop radius
    assert legs_of(case) == []


def test_a_ten_minute_stop_with_jitter_splits_the_drive_in_two():
    """The drive, its car standing from 07:00:56 to 07:02:10 (+02:00), stopped there ten
    minutes longer at 07:01:30 with the standing receiver's jitter. Two trips; before issue
    20 the jitter read as motion, no trip ended, and the two were one."""
    case = recorded_drives.stop_with_jitter()
    legs = legs_of(case)

    assert len(legs) == 2, spans(legs)
    (first, second), (true_first, true_second) = legs, case.truth
    assert first.start == true_first[0] and close(first.end, true_first[1])
    assert close(second.start, true_second[0]) and second.end == true_second[1]


def test_six_minutes_without_a_fix_mid_drive_stay_one_trip():
    """The drive with 07:03:00-07:09:00 (+02:00) cut out, as a tunnel would: the car
    drives on both sides (44 and 60 km/h on average the minute before and after) and
    covers 6.5 km in the silence, 65 km/h. One trip from the first fix to the last, as
    the whole recording is; before issue 20, two touching legs."""
    case = recorded_drives.tunnel()
    assert spans(legs_of(case)) == case.truth == spans(legs_of(recorded_drives.whole_drive()))
