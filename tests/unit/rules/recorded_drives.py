"""Recorded trajectories nobody here wrote, as the readings a van unit without an ignition
wire would send, each with the legs the recording itself shows (issue 20, items 4 and 5;
the data and its licences: tests/data/trajectories/README.md, tests/data/gpsd/README.md).
For `test_motion_legs_recorded.py` and `bench/legs_real.py --data tests/data`.

- A car's drive through Munich, one position a second (BMW Car IT's Barefoot sample,
  Apache-2.0). It carries no speed, so each fix's speed is the distance from the fix
  before over the time between them, as `bench/legs_real.py` does for GeoLife.
- A SiRF II receiver standing still for ten minutes (gpsd's regression suite, BSD-2),
  its positions wandering 37 m from cold start to 3D. Its own Doppler speed stays under
  0.7 km/h; speed from its positions, as above, reads 3 km/h or more at 159 of its 615
  fixes (once 110 km/h, as a fix settles): GPS jitter at a stop read as motion.

What the legs should be is read off the recordings, not off the rules: the drive is one
trip from its first fix to its last (Barefoot publishes it as one trace; the car never
stands still for as long as 80 s), the receiver never moved, and where the car stood
still is where its positions stop changing. A parked van's unit then sends a heartbeat
fix every `PARKED_HEARTBEAT_S` where it stands (`depotclock.wire.motion`): each case ends
with those, so that the last trip is finished.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from depotclock.wire.motion import PARKED_HEARTBEAT_S
from hub.rules.legs import Reading, metres

DATA = Path(__file__).parents[2] / "data"
UTC = timezone.utc
SPLIT = datetime(2014, 9, 10, 5, 1, 30, tzinfo=UTC)  # 07:01:30 +02:00, the car standing at lights
TUNNEL = (datetime(2014, 9, 10, 5, 3, tzinfo=UTC), datetime(2014, 9, 10, 5, 9, tzinfo=UTC))

Fix = tuple[datetime, float, float]


@dataclass(frozen=True)
class Case:
    name: str
    fixes: list[Fix]
    truth: list[tuple[datetime, datetime]]  # the trips the recording shows

    def readings(self) -> list[Reading]:
        """Each fix with its speed from the fix before."""
        fixes, out = self.fixes, []
        for n, (at, lat, lon) in enumerate(fixes):
            kmh = 0.0
            if n and at > fixes[n - 1][0]:
                kmh = metres(fixes[n - 1][1:], (lat, lon)) / (at - fixes[n - 1][0]).total_seconds() * 3.6
            out.append(Reading(n, at, lat=lat, lon=lon, speed_kmh=kmh))
        return out


def drive(data: Path = DATA) -> list[Fix]:
    """Barefoot's samples: `{"point": "POINT(lon lat)", "time": "2014-09-10 06:54:07+0200"}`."""
    out = []
    for sample in json.loads((data / "trajectories" / "barefoot-x0001-001.json").read_text()):
        lon, lat = sample["point"].removeprefix("POINT(").removesuffix(")").split()
        at = datetime.strptime(sample["time"], "%Y-%m-%d %H:%M:%S%z").astimezone(UTC)
        out.append((at, float(lat), float(lon)))
    return out


def standing_receiver(data: Path = DATA) -> list[Fix]:
    """gpsd's TPV reports with a 2D or 3D fix (mode 2 or 3)."""
    reports = [json.loads(line) for line in (data / "gpsd" / "sirf2-tpv.jsonl").read_text().splitlines()]
    return [(datetime.fromisoformat(r["time"]), r["lat"], r["lon"]) for r in reports if r["mode"] >= 2]


def parked_after(fixes: list[Fix], count: int = 3) -> list[Fix]:
    at, lat, lon = fixes[-1]
    return fixes + [(at + timedelta(seconds=PARKED_HEARTBEAT_S * k), lat, lon) for k in range(1, count + 1)]


def stay_at(stay: list[Fix], fix: Fix) -> list[Fix]:
    """`stay` moved to where and when `fix` is (each position's offset from its first
    kept), from the second after it."""
    t0, lat0, lon0 = stay[0]
    at, lat, lon = fix
    return [(at + timedelta(seconds=1) + (t - t0), lat + y - lat0, lon + x - lon0) for t, y, x in stay]


def standstill(fixes: list[Fix], at: datetime, within_m: float = 20.0) -> tuple[datetime, datetime]:
    """The first and last instant of the run of fixes around `at` within `within_m` of the
    fix at `at`: where the recording shows the car standing."""
    k = next(i for i, f in enumerate(fixes) if f[0] >= at)
    near = [metres(fixes[k][1:], f[1:]) <= within_m for f in fixes]
    first = last = k
    while first > 0 and near[first - 1]:
        first -= 1
    while last + 1 < len(fixes) and near[last + 1]:
        last += 1
    return fixes[first][0], fixes[last][0]


def standing(data: Path = DATA) -> Case:
    """The receiver alone: no trip."""
    return Case("standing receiver", parked_after(standing_receiver(data)), [])


def stop_with_jitter(data: Path = DATA) -> Case:
    """The drive, the car stopped ten minutes longer at `SPLIT`: the standing receiver's
    recording put in at that second, the rest of the drive after it. Two trips: up to where
    the car stopped and on from where it drove off."""
    recorded = drive(data)
    stopped, drove_off = standstill(recorded, SPLIT)
    before = [f for f in recorded if f[0] < SPLIT]
    stay = stay_at(standing_receiver(data), before[-1])
    shift = stay[-1][0] - before[-1][0]
    after = [(at + shift, lat, lon) for at, lat, lon in recorded if at >= SPLIT]
    return Case("stop with jitter", parked_after(before + stay + after),
                [(recorded[0][0], stopped), (drove_off + shift, after[-1][0])])


def tunnel(data: Path = DATA) -> Case:
    """The drive with `TUNNEL` cut out: one trip, as the whole recording is."""
    recorded = drive(data)
    kept = [f for f in recorded if not TUNNEL[0] <= f[0] < TUNNEL[1]]
    return Case("tunnel", parked_after(kept), [(recorded[0][0], recorded[-1][0])])


def whole_drive(data: Path = DATA) -> Case:
    recorded = drive(data)
    return Case("whole drive", parked_after(recorded), [(recorded[0][0], recorded[-1][0])])


def cases(data: Path = DATA) -> list[Case]:
    return [standing(data), stop_with_jitter(data), tunnel(data), whole_drive(data)]
