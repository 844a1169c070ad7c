"""The recorded day of van-12 shipped with the unit, and how a route is played."""

from __future__ import annotations

import math
import os
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from gpiozero.pins.mock import MockFactory

from depotclock.demo_company import DEMO_DEPOT, DEMO_WORK_ORDERS
from firmware.gps import FixFilter
from firmware.ignition import IgnitionDebouncer
from firmware.replay import DEFAULT_ROUTE, RouteError, RouteReplay, SimulatedClock, load_route

DAY = date(2026, 3, 2)
PLACES = {
    "depot": (DEMO_DEPOT["lat"], DEMO_DEPOT["lon"]),
    **{wo[0]: (wo[4], wo[5]) for wo in DEMO_WORK_ORDERS},
}


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    north = (a[0] - b[0]) * 111_195
    east = (a[1] - b[1]) * 111_195 * math.cos(math.radians(a[0]))
    return math.hypot(north, east)


def nearest(lat: float, lon: float) -> tuple[str, float]:
    return min(((name, metres((lat, lon), p)) for name, p in PLACES.items()), key=lambda x: x[1])


@pytest.fixture(scope="module")
def day():
    return load_route(DEFAULT_ROUTE, DAY)


def test_the_day_is_laid_on_the_date_in_chicago_time(day):
    assert day[0].at == datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)  # 07:00 CST
    summer = load_route(DEFAULT_ROUTE, date(2026, 7, 1))
    assert summer[0].at == datetime(2026, 7, 1, 12, 0, tzinfo=timezone.utc)  # 07:00 CDT
    assert [e.at for e in day] == sorted(e.at for e in day)


def test_the_van_starts_and_ends_parked_at_the_depot_with_the_driver_badged_first(day):
    fixes = [e.fix for e in day if e.kind == "fix"]
    assert nearest(fixes[0].lat, fixes[0].lon)[0] == "depot" and fixes[0].speed_kmh == 0
    assert nearest(fixes[-1].lat, fixes[-1].lon)[0] == "depot" and fixes[-1].speed_kmh == 0
    kinds = [e.kind for e in day if e.kind != "fix"]
    assert kinds[0] == "driver" and [e.badge for e in day if e.kind == "driver"] == ["DEADBEEF"]


def test_the_engine_is_off_at_each_stop_depot_wo7_wo8_fuel_depot(day):
    ignitions = [e for e in day if e.kind == "ignition"]
    assert [e.on for e in ignitions] == [True, False] * 4
    stops = []
    for off in ignitions[1::2]:
        here = [e.fix for e in day if e.kind == "fix" and e.at <= off.at][-1]
        assert here.speed_kmh == 0
        stops.append(nearest(here.lat, here.lon))
    assert [name for name, _ in stops] == ["WO-7", "WO-8", "depot", "depot"]
    assert stops[0][1] < 30 and stops[1][1] < 30 and stops[3][1] < 30
    assert 500 < stops[2][1] < 3000  # the fuel stop, on Western Ave south of the depot


def test_the_van_only_moves_with_the_engine_on(day):
    on = False
    for event in day:
        if event.kind == "ignition":
            on = event.on
        elif event.kind == "fix" and event.fix.speed_kmh > 0:
            assert on, event


def test_the_filter_sends_a_fix_every_few_seconds_moving_and_a_heartbeat_parked(day):
    """Issue 5: while moving a fix every few seconds or on a heading change; parked, a
    heartbeat only."""
    gate = FixFilter()
    fixes = [e.fix for e in day if e.kind == "fix"]
    kept = [f for f in fixes if gate.accept(f)]
    moving = [f for f in kept if f.speed_kmh >= gate.moving_kmh]
    legs_s = sum(1 for f in fixes if f.speed_kmh > 0)
    assert legs_s / 5 * 0.8 < len(moving) < legs_s / 2
    for a, b in zip(kept, kept[1:], strict=False):
        if a.speed_kmh >= gate.moving_kmh and b.speed_kmh >= gate.moving_kmh:
            assert b.at - a.at <= timedelta(seconds=5)
    parked = [f for f in kept if f.speed_kmh < gate.moving_kmh]
    assert len(parked) < len([f for f in fixes if f.speed_kmh == 0]) / 5


@pytest.mark.parametrize(
    "body, problem",
    [
        ("07:00:00,fix,,41.88,-87.68,0.0,,3.0\n07:00:01,ignition,maybe,,,,,\n", "line 4: ignition is 'on' or 'off'"),
        ("07:00:00,fix,,91.0,-87.68,0.0,,3.0\n", "line 3: position or speed out of range"),
        ("07:00:00,driver,DEADBEE,,,,,\n", "line 3: 'DEADBEE' is not a badge id"),
        ("07:00:05,fix,,41.88,-87.68,0.0,,3.0\n07:00:00,fix,,41.88,-87.68,0.0,,3.0\n", "line 4: earlier"),
        ("25:00:00,fix,,41.88,-87.68,0.0,,3.0\n", "line 3"),
        ("07:00:00,honk,,,,,,\n", "line 3: event is one of fix, ignition, driver"),
        ("", "no events"),
    ],
)
def test_a_bad_route_names_the_line(tmp_path, body, problem):
    route = tmp_path / "route.csv"
    route.write_text("# zone: America/Chicago\ntime,event,value,lat,lon,speed_kmh,heading_deg,accuracy_m\n" + body)
    with pytest.raises(RouteError, match=problem):
        load_route(route, DAY)


def test_a_route_needs_its_zone(tmp_path):
    route = tmp_path / "route.csv"
    route.write_text("time,event,value,lat,lon,speed_kmh,heading_deg,accuracy_m\n")
    with pytest.raises(RouteError, match="no '# zone: <IANA zone>' line"):
        load_route(route, DAY)


def test_the_simulated_clock_runs_speed_times_faster():
    t = [100.0]
    clock = SimulatedClock(datetime(2026, 3, 2, 13, tzinfo=timezone.utc), 60, monotonic=lambda: t[0])
    t[0] = 102.5
    assert clock.now() == datetime(2026, 3, 2, 13, 2, 30, tzinfo=timezone.utc)
    assert clock.real_seconds_until(datetime(2026, 3, 2, 13, 3, 30, tzinfo=timezone.utc)) == 1.0


def test_the_replay_drives_the_pin_feeds_fixes_and_taps_the_badge(tmp_path):
    route = tmp_path / "route.csv"
    route.write_text(
        "# zone: America/Chicago\ntime,event,value,lat,lon,speed_kmh,heading_deg,accuracy_m\n"
        "07:00:00,fix,,41.8868,-87.6866,0.0,,3.0\n"
        "07:00:10,driver,DEADBEEF,,,,,\n"
        "07:00:20,ignition,on,,,,,\n"
        "07:01:00,fix,,41.8870,-87.6866,20.0,0.0,3.0\n"
        "07:02:00,ignition,off,,,,,\n"
    )
    events = load_route(route, DAY)
    feed = tmp_path / "taps"
    os.mkfifo(feed)
    reader_side = os.open(feed, os.O_RDWR | os.O_NONBLOCK)
    factory = MockFactory()
    pin = factory.pin(23)
    pin.input_with_pull("up")
    replay = RouteReplay(events, SimulatedClock(events[0].at, 3600), pin, badge_feed=feed)
    fixes = []

    def gps():
        for fix in replay.fixes(threading.Event()):
            fixes.append(fix)

    reader = threading.Thread(target=gps)
    reader.start()
    replay.run()
    assert replay.finished.is_set()
    while len(fixes) < 2:
        threading.Event().wait(0.01)
    replay.stop()
    reader.join(5)
    assert [f.speed_kmh for f in fixes] == [0.0, 20.0]
    # pulled up, then low (the optocoupler conducts: ignition on), then high (off)
    assert [s.state for s in pin.states][1:] == [True, False, True]
    assert os.read(reader_side, 100) == b"DEADBEEF\n"
    os.close(reader_side)
    factory.reset()


def test_while_an_event_plays_the_clock_shows_its_recorded_time():
    t = [0.0]
    clock = SimulatedClock(datetime(2026, 3, 2, 13, tzinfo=timezone.utc), 60, monotonic=lambda: t[0])
    t[0] = 1.0
    with clock.held_at(datetime(2026, 3, 2, 13, 0, 58, tzinfo=timezone.utc)):
        assert clock.now() == datetime(2026, 3, 2, 13, 0, 58, tzinfo=timezone.utc)
    assert clock.now() == datetime(2026, 3, 2, 13, 1, tzinfo=timezone.utc)


def test_the_replay_waits_only_for_changes_the_unit_is_to_report(tmp_path):
    route = tmp_path / "route.csv"
    route.write_text(
        "# zone: America/Chicago\ntime,event,value,lat,lon,speed_kmh,heading_deg,accuracy_m\n"
        "07:00:00,ignition,on,,,,,\n"
        "07:00:05,ignition,off,,,,,\n"  # the starter's dip: back on 3 s later
        "07:00:08,ignition,on,,,,,\n"
        "07:30:00,ignition,off,,,,,\n"  # a real stop
        "07:31:00,ignition,on,,,,,\n"
    )
    events = load_route(route, DAY)
    replay = RouteReplay(events, SimulatedClock(events[0].at, 60), None, debouncer=IgnitionDebouncer(off_hold_s=20))
    assert [replay.will_report(i) for i in range(len(events))] == [True, False, True, True, True]
