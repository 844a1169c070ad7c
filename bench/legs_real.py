"""Legs by motion against real recorded trips: matched, missed and extra legs, and the
median start and end error, for the rules as set (`LegPolicy()`) and for the same rules
without displacement and bridging (`stop_radius_m=0`, `bridge_max_kmh=0`: the rules
before issue 20) on the same days.

The data: Microsoft Research Asia's GeoLife GPS Trajectories 1.3, whose users labelled
stretches of their logs with how they travelled (car, taxi, walk, bus ...): an independent
segmentation. Its licence (MSR-LA, in its User Guide) allows non-commercial use and
forbids redistribution, so it is not in this repository: point `--data` at its `Data`
folder (`NNN/labels.txt`, `NNN/Trajectory/*.plt`).

Which days, and what the van would have seen: local (UTC+8, Beijing) days with a car or
taxi label and no label but car, taxi and walk; a day's true legs are its car and taxi
stretches (touching ones joined) with 10 fixes or more and no silence of an hour (a
label over hours the logger was off says nothing of them). Of a day's fixes, those from its
first label's start to its last label's end are kept (outside, nobody said what moved),
less those logged while walking: the van stayed where it was parked, and its unit would
have sent nothing but heartbeats. A user's days are one timeline, so that a day's last
trip ends at the silence before the next day's first fix (loggers were switched off on
arrival; a van unit goes on sending). The loggers give no speed, so each fix's speed is
the distance from the fix before over the time between them (the way jitter at a stop
reads as motion).

A leg matches a true leg when each covers more than half of the other; the rest are
extra legs, and the true legs left are missed. The time per fix is the build's, against
sorting the readings (the least any build does).

The recordings committed with the tests (`--data tests/data`): a car's drive with a
tunnel cut out of it, the same drive with a real standing receiver's jitter put in as a
ten-minute stop, the receiver alone and the whole drive, each with the trips the recording
shows (tests/unit/rules/recorded_drives.py). Four cases, not a sample: a check that the
figure's rules hold on data anyone can fetch with the repository.

Run: PYTHONPATH=src:. .venv/bin/python bench/legs_real.py --data PATH/Geolife/Data
     PYTHONPATH=src:. .venv/bin/python bench/legs_real.py --data tests/data
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' recordings

from hub.rules.legs import Leg, LegPolicy, LegSource, Reading, build_legs, in_order, metres  # noqa: E402
from tests.unit.rules import recorded_drives  # noqa: E402

LOCAL = timedelta(hours=8)
DRIVING = {"car", "taxi"}
ALLOWED = DRIVING | {"walk"}
JOIN_S = 60  # true legs of one day this close are one (a label split mid-drive)
MIN_FIXES = 10
SILENCE = timedelta(hours=1)


@dataclass
class Timeline:
    """A user's chosen days: the fixes the van would have sent, and the true legs."""

    user: str
    days: int
    readings: list[Reading]
    truth: list[tuple[datetime, datetime]]


@dataclass
class Score:
    matched: int = 0
    missed: int = 0
    extra: int = 0
    start_err_s: list[float] = field(default_factory=list)
    end_err_s: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def f1(self) -> float:
        return 2 * self.matched / (2 * self.matched + self.missed + self.extra or 1)

    def line(self) -> str:
        median = lambda xs: statistics.median(xs) if xs else float("nan")  # noqa: E731
        return (f"matched={self.matched} missed={self.missed} extra={self.extra} "
                f"median_start_err_s={median(self.start_err_s):.0f} median_end_err_s={median(self.end_err_s):.0f}")


def _instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y/%m/%d %H:%M:%S").replace(tzinfo=timezone.utc)


def read_labels(path: Path) -> list[tuple[datetime, datetime, str]]:
    rows = [line.strip().split("\t") for line in path.read_text().splitlines()[1:] if line.strip()]
    return [(_instant(a), _instant(b), mode) for a, b, mode in rows]


def read_fixes(folder: Path) -> list[tuple[datetime, float, float]]:
    """Every fix of a user's PLT files (GeoLife User Guide 4.1: six header lines, then
    latitude, longitude, 0, altitude, days, date, time in GMT), once per instant."""
    fixes: dict[datetime, tuple[float, float]] = {}
    for plt in sorted(folder.glob("*.plt")):
        for line in plt.read_text().splitlines()[6:]:
            lat, lon, _, _, _, day, clock = line.split(",")
            at = datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=timezone.utc)
            fixes[at] = (float(lat), float(lon))
    return [(at, lat, lon) for at, (lat, lon) in sorted(fixes.items())]


def _readings(fixes: list[tuple[datetime, float, float]]) -> list[Reading]:
    out, before = [], None
    for n, (at, lat, lon) in enumerate(fixes):
        kmh = 0.0
        if before is not None and at > before[0]:
            kmh = metres((before[1], before[2]), (lat, lon)) / (at - before[0]).total_seconds() * 3.6
        out.append(Reading(n, at, lat=lat, lon=lon, speed_kmh=kmh))
        before = (at, lat, lon)
    return out


def _observed(instants: list[datetime]) -> bool:
    return len(instants) >= MIN_FIXES and all(b - a < SILENCE for a, b in zip(instants, instants[1:]))


def timeline(user: Path) -> Timeline:
    by_day: dict[date, list[tuple[datetime, datetime, str]]] = {}
    for start, end, mode in read_labels(user / "labels.txt"):
        by_day.setdefault((start + LOCAL).date(), []).append((start, end, mode))
    chosen = {d: ls for d, ls in by_day.items()
              if any(m in DRIVING for *_, m in ls) and all(m in ALLOWED for *_, m in ls)}
    fixes = read_fixes(user / "Trajectory") if chosen else []
    kept: list[tuple[datetime, float, float]] = []
    truth: list[tuple[datetime, datetime]] = []
    days = 0
    for _, ls in sorted(chosen.items()):
        first, last = min(a for a, _, _ in ls), max(b for _, b, _ in ls)
        walks = [(a, b) for a, b, m in ls if m == "walk"]
        seen = [f for f in fixes if first <= f[0] <= last and not any(a <= f[0] <= b for a, b in walks)]
        joined: list[tuple[datetime, datetime]] = []
        for a, b, _ in sorted(x for x in ls if x[2] in DRIVING):
            if joined and (a - joined[-1][1]).total_seconds() <= JOIN_S:
                joined[-1] = (joined[-1][0], max(b, joined[-1][1]))
            else:
                joined.append((a, b))
        joined = [(a, b) for a, b in joined if _observed([f[0] for f in seen if a <= f[0] <= b])]
        if joined:
            kept += seen
            truth += joined
            days += 1
    return Timeline(user.name, days, _readings(sorted(set(kept))), truth)


def _overlap(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> float:
    return max(0.0, (min(a[1], b[1]) - max(a[0], b[0])).total_seconds())


def compare(legs: list[Leg], truth: list[tuple[datetime, datetime]], score: Score) -> None:
    """Add one day's legs against its true legs to `score`."""
    left = list(truth)
    for leg in legs:
        span = (leg.start, leg.end)
        match = next((t for t in left if _overlap(span, t) * 2 > max((t[1] - t[0]).total_seconds(), 1)
                      and _overlap(span, t) * 2 > max((leg.end - leg.start).total_seconds(), 1)), None)
        if match is None:
            score.extra += 1
            continue
        left.remove(match)
        score.matched += 1
        score.start_err_s.append(abs((leg.start - match[0]).total_seconds()))
        score.end_err_s.append(abs((leg.end - match[1]).total_seconds()))
    score.missed += len(left)


def run(timelines: list[Timeline], policy: LegPolicy) -> Score:
    score = Score()
    for user in timelines:
        started = time.perf_counter()
        legs = build_legs(user.readings, policy, [])
        score.seconds += time.perf_counter() - started
        compare(legs, user.truth, score)
    return score


def recorded(data: Path) -> list[Timeline]:
    """The recordings committed with the tests, one timeline a case."""
    return [Timeline(case.name, 1, case.readings(), case.truth) for case in recorded_drives.cases(data)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="GeoLife 1.3's Data folder, or tests/data")
    parser.add_argument("--users", default="", help="comma-separated user folders (default: all with labels)")
    args = parser.parse_args()
    if (args.data / "trajectories").is_dir():
        timelines, what = recorded(args.data), "recorded cases (tests/data)"
    else:
        users = [args.data / u for u in args.users.split(",")] if args.users else sorted(
            p.parent for p in args.data.glob("*/labels.txt"))
        timelines = [t for t in map(timeline, users) if t.truth]
        what = "GeoLife users"
    fixes = sum(len(t.readings) for t in timelines)
    scores = {"rules": run(timelines, LegPolicy(source=LegSource.MOTION)),
              "without displacement and bridging": run(timelines, LegPolicy(
                  source=LegSource.MOTION, stop_radius_m=0, bridge_max_kmh=0))}
    started = time.perf_counter()
    for t in timelines:
        sorted(t.readings, key=in_order)
    floor_s = time.perf_counter() - started
    print(f"{sum(t.days for t in timelines)} days of {len(timelines)} {what}, {fixes} fixes, "
          f"{sum(len(t.truth) for t in timelines)} true legs")
    for name, score in scores.items():
        print(f"{name:36}{score.line()} f1={score.f1():.3f} us_per_fix={score.seconds / fixes * 1e6:.1f}")
    rules, before = scores["rules"], scores["without displacement and bridging"]
    print(f"RESULT {rules.line()} f1={rules.f1():.3f} baseline_f1={before.f1():.3f} "
          f"f1_ratio={rules.f1() / (before.f1() or 1):.2f} us_per_fix={rules.seconds / fixes * 1e6:.1f} "
          f"time_ratio_to_sort={rules.seconds / floor_s:.1f} time_ratio_to_baseline={rules.seconds / before.seconds:.2f}")


if __name__ == "__main__":
    main()
