"""Legs by motion on recorded trajectories nobody here wrote (issue 20, items 4 and 5; the
data and its licences: tests/data/trajectories/README.md, tests/data/gpsd/README.md).

- A car's drive through Munich, one position a second (BMW Car IT's Barefoot sample,
  Apache-2.0). It carries no speed, so each fix's speed is the distance from the fix
  before over the time between them, as `bench/legs_real.py` does for GeoLife.
- A SiRF II receiver standing still for ten minutes (gpsd's regression suite, BSD-2),
  its positions wandering 37 m from cold start to 3D. Its own Doppler speed stays under
  0.7 km/h; speed from its positions, as above, reads 3 km/h or more at 159 of its 615
  fixes (once 110 km/h, as a fix settles): GPS jitter at a stop read as motion.

What the legs should be is read off the recordings, not off the rules: the drive is one
trip from its first fix to its last (Barefoot publishes it as one trace; the car never
stands still for as long as 80 s), the receiver never moved, and where the car
stood still is where its positions stop changing. A parked van's unit then sends a
heartbeat fix every `PARKED_HEARTBEAT_S` where it stands (`depotclock.wire.motion`): each
case ends with those, so that the last trip is finished.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from depotclock.wire.motion import PARKED_HEARTBEAT_S
from hub.rules.legs import Leg, LegPolicy, LegSource, Reading, build_legs, metres

DATA = Path(__file__).parents[2] / "data"
MOTION = LegPolicy(source=LegSource.MOTION)
TOLERANCE = timedelta(seconds=60)  # a leg's start or end against the recording's own

Fix = tuple[datetime, float, float]


def drive() -> list[Fix]:
    """Barefoot's samples: `{"point": "POINT(lon lat)", "time": "2014-09-10 06:54:07+0200"}`."""
    samples = json.loads((DATA / "trajectories" / "barefoot-x0001-001.json").read_text())
    out = []
    for sample in samples:
        lon, lat = sample["point"].removeprefix("POINT(").removesuffix(")").split()
        at = datetime.strptime(sample["time"], "%Y-%m-%d %H:%M:%S%z").astimezone(timezone.utc)
        out.append((at, float(lat), float(lon)))
    return out


def standing_receiver() -> list[Fix]:
    """gpsd's TPV reports with a 2D or 3D fix (mode 2 or 3)."""
    reports = [json.loads(line) for line in (DATA / "gpsd" / "sirf2-tpv.jsonl").read_text().splitlines()]
    return [(datetime.fromisoformat(r["time"]), r["lat"], r["lon"]) for r in reports if r["mode"] >= 2]


def readings(fixes: list[Fix]) -> list[Reading]:
    out = []
    for n, (at, lat, lon) in enumerate(fixes):
        kmh = 0.0
        if n and at > fixes[n - 1][0]:
            kmh = metres(fixes[n - 1][1:], (lat, lon)) / (at - fixes[n - 1][0]).total_seconds() * 3.6
        out.append(Reading(n, at, lat=lat, lon=lon, speed_kmh=kmh))
    return out


def parked_after(fixes: list[Fix], count: int = 3) -> list[Fix]:
    at, lat, lon = fixes[-1]
    return fixes + [(at + timedelta(seconds=PARKED_HEARTBEAT_S * k), lat, lon) for k in range(1, count + 1)]


def stay_at(fix: Fix) -> list[Fix]:
    """The standing receiver's ten minutes moved to where and when `fix` is (each
    position's offset from its first kept), from the second after it."""
    stay = standing_receiver()
    t0, lat0, lon0 = stay[0]
    at, lat, lon = fix
    return [(at + timedelta(seconds=1) + (t - t0), lat + y - lat0, lon + x - lon0) for t, y, x in stay]


def standstill(fixes: list[Fix], at: datetime, within_m: float = 20.0) -> tuple[datetime, datetime]:
    """The first and last instant of the run of fixes around `at` within `within_m` of the
    fix at `at`: where the recording shows the car standing."""
    k = next(i for i, f in enumerate(fixes) if f[0] >= at)
    here = fixes[k][1:]
    near = [metres(here, f[1:]) <= within_m for f in fixes]
    first = last = k
    while first > 0 and near[first - 1]:
        first -= 1
    while last + 1 < len(fixes) and near[last + 1]:
        last += 1
    return fixes[first][0], fixes[last][0]


def spans(legs: list[Leg]) -> list[tuple[datetime, datetime]]:
    return [(leg.start, leg.end) for leg in legs]


def close(actual: datetime, expected: datetime) -> bool:
    return abs(actual - expected) <= TOLERANCE


def test_a_receiver_standing_still_ten_minutes_is_no_trip():
    """gpsd's sirf2 recording: 614 s in which the positions wander 37 m (a path of 620 m
    fix to fix) and read up to walking pace, from a receiver that never moved. The rules
    before issue 20 made a leg of it on duration alone (the issue's "704 s covering 41 m")."""
    fixes = parked_after(standing_receiver())
    assert max(metres(fixes[0][1:], f[1:]) for f in fixes) < 100  # the stop radius
    assert build_legs(readings(fixes), MOTION, []) == []


def test_a_ten_minute_stop_with_jitter_splits_the_drive_in_two():
    """The drive, its car standing from 07:00:56 to 07:02:10 (+02:00), stopped there ten
    minutes longer at 07:01:30: the standing receiver's recording put in at that second, the rest of
    the drive after it. Two trips: up to where the car stopped and on from where it drove
    off. Before issue 20 the jitter read as motion, no trip ended, and the two were one."""
    recorded = drive()
    split = datetime(2014, 9, 10, 5, 1, 30, tzinfo=timezone.utc)
    stopped, drove_off = standstill(recorded, split)
    before = [f for f in recorded if f[0] < split]
    stay = stay_at(before[-1])
    shift = stay[-1][0] - before[-1][0]
    after = [(at + shift, lat, lon) for at, lat, lon in recorded if at >= split]
    legs = build_legs(readings(parked_after(before + stay + after)), MOTION, [])

    assert len(legs) == 2, spans(legs)
    first, second = legs
    assert first.start == recorded[0][0] and close(first.end, stopped)
    assert close(second.start, drove_off + shift) and second.end == after[-1][0]


def test_six_minutes_without_a_fix_mid_drive_stay_one_trip():
    """The drive with 07:03:00-07:09:00 (+02:00) cut out, as a tunnel would: the car
    drives on both sides (44 and 60 km/h on average the minute before and after) and
    covers 6.5 km in the silence, 65 km/h. One trip from the first
    fix to the last, as the whole recording is; before issue 20, two touching legs."""
    recorded = drive()
    tunnel = (datetime(2014, 9, 10, 5, 3, tzinfo=timezone.utc), datetime(2014, 9, 10, 5, 9, tzinfo=timezone.utc))
    fixes = [f for f in recorded if not tunnel[0] <= f[0] < tunnel[1]]
    legs = build_legs(readings(parked_after(fixes)), MOTION, [])

    assert spans(legs) == [(recorded[0][0], recorded[-1][0])]
    assert spans(build_legs(readings(parked_after(recorded)), MOTION, [])) == spans(legs)
