"""gpsd reports to fixes, garbage skipped; which fixes the van sends."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone

import pytest

from firmware.gps import Fix, FixFilter, Skipped, clock_offset, parse_report

T0 = datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)


def tpv(**fields) -> str:
    report = {"class": "TPV", "mode": 3, "time": "2026-03-02T13:00:00.000Z", "lat": 41.88,
              "lon": -87.68, "speed": 10.0, "track": 90.0, "eph": 4.5}
    report.update(fields)
    return json.dumps({k: v for k, v in report.items() if v is not ...})


def test_a_tpv_report_is_a_fix():
    fix = parse_report(tpv())
    assert fix == Fix(T0, 41.88, -87.68, 36.0, 90.0, 4.5, 3)


@pytest.mark.parametrize(
    "line",
    [
        "not json at all",
        '{"class": "SKY", "satellites": []}',
        '{"class": "VERSION", "release": "3.22"}',
        tpv(mode=1),  # no fix: a tunnel
        tpv(lat=...),
        tpv(lat="41.88"),
        tpv(time=...),
        tpv(time="yesterday"),
        tpv(lat=91.0),
        "[1, 2, 3]",
        "",
    ],
)
def test_garbage_is_skipped(line):
    assert parse_report(line) is None


def test_nan_is_refused_in_position_and_ignored_elsewhere():
    assert parse_report(tpv().replace("41.88", "NaN")) is None
    fix = parse_report(tpv(speed=float("nan"), track=float("nan")))
    assert fix.speed_kmh == 0.0 and fix.heading_deg is None


def test_accuracy_is_the_worst_of_the_estimates():
    assert parse_report(tpv(eph=..., epx=3.0, epy=12.5)).accuracy_m == 12.5
    assert parse_report(tpv(eph=...)).accuracy_m is None


def fix(seconds: float, kmh: float, heading: float = 90.0) -> Fix:
    return Fix(T0 + timedelta(seconds=seconds), 41.88, -87.68, kmh, heading, 4.0, 3)


@pytest.mark.parametrize(
    "fixes, kept",
    [
        ([fix(0, 40), fix(1, 40), fix(4, 40), fix(5, 40), fix(6, 40)], [0, 3]),  # every 5 s
        ([fix(0, 40), fix(1, 40, 130)], [0, 1]),  # a turn goes at once
        ([fix(0, 40), fix(1, 0), fix(60, 0), fix(301, 0)], [0, 1, 3]),  # stop, then heartbeat
        ([fix(0, 0), fix(100, 0), fix(101, 30)], [0, 2]),  # moving again goes at once
        ([fix(0, 40, 350), fix(1, 40, 10)], [0]),  # 20 degrees across north is no turn
        ([fix(0, 0), fix(10, 2.5), fix(20, 2.9), fix(30, 1.0), fix(40, 2.0)], [0]),  # parked drift
        # from 3 km/h the hub counts a fix as moving (depotclock.wire.motion): so does the unit
        ([fix(0, 0), fix(10, 4.0), fix(11, 4.0), fix(15, 4.0)], [0, 1, 3]),
        ([fix(0, 0), fix(-60, 0)], [0, 1]),  # the receiver's time went back: start afresh
        ([fix(0, 0), fix(10, 6.0)], [0, 1]),  # pulling away
        ([fix(0, 40), fix(5, 3.0), fix(6, 1.5)], [0, 1, 2]),  # a crawl is moving; under 2 km/h stopped
    ],
)
def test_fix_filter(fixes, kept):
    gate = FixFilter()
    assert [i for i, f in enumerate(fixes) if gate.accept(f)] == kept


def test_clock_offset_against_gps_time():
    assert clock_offset(fix(0, 0), T0 + timedelta(hours=-3)) == timedelta(hours=-3)


@pytest.mark.parametrize(
    "line, reason",
    [
        ("not json at all", "not JSON"),
        ("[1, 2, 3]", "not an object"),
        ('{"class": "MYSTERY", "x": 1}', "unknown class 'MYSTERY'"),
        ('{"x": 1}', "unknown class None"),
        (tpv(mode=...), "TPV without a mode"),
        (tpv().replace("41.88", "NaN"), "without a usable time or position"),
        (tpv(lat=...), "without a usable time or position"),
        (tpv(time="yesterday"), "without a usable time or position"),
    ],
)
def test_garbage_is_skipped_with_a_log_line(line, reason, caplog):
    """Issue 5: garbage from gpsd (unknown classes, NaN, missing fields) is skipped with a
    log line, never a crash."""
    with caplog.at_level(logging.WARNING, logger="firmware.gps"):
        assert parse_report(line) is None
    assert reason in caplog.text


@pytest.mark.parametrize("line", ['{"class": "SKY", "satellites": []}', '{"class": "VERSION"}', tpv(mode=1)])
def test_what_gpsd_normally_sends_besides_fixes_is_skipped_quietly(line, caplog):
    with caplog.at_level(logging.DEBUG, logger="firmware.gps"):
        assert parse_report(line) is None
    assert caplog.text == ""


def test_a_receiver_stuck_on_garbage_does_not_fill_the_log(caplog):
    skipped = Skipped()
    with caplog.at_level(logging.WARNING, logger="firmware.gps"):
        for _ in range(150):
            parse_report('{"class": "MYSTERY"}', skipped)
    assert [r.getMessage().split(";")[1].split(")")[0] for r in caplog.records] == [
        " 1 so far", " 10 so far", " 100 so far",
    ]
