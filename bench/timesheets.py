"""Timesheets for 5,000 technicians over a bi-weekly period, against the floor any engine
pays: taking the same events (already read) and sorting them per technician.

Run: .venv/bin/python bench/timesheets.py [--technicians N]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import time
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hub.rules.event_lines import parse_event
from hub.rules.events import event_instant
from hub.rules.policy import PRESETS, TimesheetPolicy
from hub.rules.timesheet import TechnicianProfile, compute_timesheets

CHICAGO = ZoneInfo("America/Chicago")
FIRST_DAY = datetime(2026, 3, 2, tzinfo=CHICAGO)


def _iso(at: datetime) -> str:
    return at.isoformat()


def technician_fortnight(tech: str, rnd: random.Random) -> list[str]:
    """Ten workdays: clock in at the depot, drive to two or three jobs, a rest and a meal,
    drive back, clock out; now and then a forgotten punch."""
    lines = []
    n = 0

    def add(record: dict) -> None:
        nonlocal n
        n += 1
        lines.append(json.dumps({"id": f"{tech}-{n}", "tech": tech, **record}))

    for day in range(14):
        if day % 7 >= 5:
            continue
        t = FIRST_DAY + timedelta(days=day, hours=6, minutes=rnd.randrange(90))
        add({"type": "clock_in", "at": _iso(t)})
        place = "depot"
        for job in range(rnd.choice((2, 3))):
            wo = f"WO-{rnd.randrange(20000)}"
            t += timedelta(minutes=rnd.randrange(5, 20))
            leg_end = t + timedelta(minutes=rnd.randrange(15, 45))
            add({"type": "drive", "start": _iso(t), "end": _iso(leg_end), "km": round(rnd.uniform(3, 40), 1),
                 "from": place, "to": "site", "work_order": wo})
            t = leg_end + timedelta(minutes=2)
            add({"type": "wo_check_in", "work_order": wo, "at": _iso(t)})
            if job == 0:
                rest = t + timedelta(minutes=rnd.randrange(40, 90))
                add({"type": "break_start", "kind": "rest", "at": _iso(rest)})
                add({"type": "break_end", "at": _iso(rest + timedelta(minutes=10))})
            if job == 1:
                meal = t + timedelta(minutes=rnd.randrange(20, 60))
                add({"type": "break_start", "kind": "meal", "at": _iso(meal)})
                add({"type": "break_end", "at": _iso(meal + timedelta(minutes=30))})
            t += timedelta(minutes=rnd.randrange(90, 180))
            add({"type": "wo_check_out", "work_order": wo, "at": _iso(t)})
            place = "site"
        back = t + timedelta(minutes=rnd.randrange(30, 50))
        add({"type": "drive", "start": _iso(t), "end": _iso(back), "km": round(rnd.uniform(3, 40), 1),
             "from": "site", "to": "depot"})
        if rnd.random() > 0.02:
            add({"type": "clock_out", "at": _iso(back + timedelta(minutes=rnd.randrange(5, 20)))})
    return lines


def dataset(technicians: int) -> list[str]:
    rnd = random.Random(2026)
    lines = [line for i in range(technicians) for line in technician_fortnight(f"T-{i:05d}", rnd)]
    rnd.shuffle(lines)
    return lines


def floor(events: list) -> float:
    """Group every event by technician and sort each one's: what any engine must do."""
    started = time.perf_counter()
    by_tech = defaultdict(list)
    for event in events:
        by_tech[event.tech].append(event)
    for own in by_tech.values():
        own.sort(key=lambda e: (event_instant(e), e.id))
    return time.perf_counter() - started


def engine(events: list) -> tuple[float, int]:
    """The engine's timesheets, taken one by one as a payroll export takes them."""
    policy = TimesheetPolicy(overtime=PRESETS["california"])
    started = time.perf_counter()
    sheets = sum(1 for _ in compute_timesheets(events, default=TechnicianProfile("", timezone=CHICAGO, policy=policy)))
    return time.perf_counter() - started, sheets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--technicians", type=int, default=5000)
    args = parser.parse_args()
    lines = dataset(args.technicians)
    parse_started = time.perf_counter()
    events = [parse_event(json.loads(line)) for line in lines]
    parse_s = time.perf_counter() - parse_started
    # The dataset lives for the whole run: keep the cyclic collector from rescanning it
    # on every collection, for the floor and the engine alike.
    gc.collect()
    gc.freeze()
    floor_s = min(floor(events) for _ in range(3))
    seconds, sheets = engine(events)
    assert sheets == args.technicians
    rate = len(events) / seconds
    print(f"{args.technicians} technicians, {len(events)} events over a bi-weekly period")
    print(f"parsing the JSON lines (not timed below): {parse_s:.2f} s")
    print(f"engine {seconds:.2f} s ({rate:,.0f} events/s); floor (group + sort) {floor_s:.2f} s")
    print(
        f"RESULT technicians={args.technicians} events={len(events)} seconds={seconds:.2f} "
        f"events_per_s={rate:.0f} floor_seconds={floor_s:.2f} ratio={seconds / floor_s:.2f}"
    )


if __name__ == "__main__":
    main()
