"""The van's gpsd client against a real gpsd replaying a recorded drive (gpsfake)."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from firmware.gps import FixFilter, GpsdUnavailable, gpsd_fixes
from tests.fakes.gpsd import gpsfake

DRIVE = Path(__file__).parents[2] / "data" / "nmea" / "drive.nmea"


@pytest.fixture(scope="module")
def drive_fixes():
    """Every fix of the replayed drive; gpsd stays up after it, so read until it is quiet."""
    fixes = []
    with gpsfake(DRIVE) as port:
        try:
            for fix in gpsd_fixes("127.0.0.1", port, threading.Event(), timeout=2):
                fixes.append(fix)
        except GpsdUnavailable:
            pass
    return fixes


def test_fixes_arrive_in_order_with_time_position_and_speed(drive_fixes):
    assert len(drive_fixes) > 300
    times = [f.at for f in drive_fixes]
    assert times == sorted(times)
    assert times[0].utcoffset() == timedelta(0)
    first = drive_fixes[0]  # gpsd skips the first sentences while it identifies the receiver
    assert first.lat == pytest.approx(41.8868, abs=0.01) and first.lon == pytest.approx(-87.6866, abs=0.01)
    last = drive_fixes[-1]  # back at the depot
    assert last.lat == pytest.approx(41.8868, abs=1e-4) and last.lon == pytest.approx(-87.6866, abs=1e-4)
    assert max(f.speed_kmh for f in drive_fixes) > 40


def test_the_tunnel_is_a_gap_without_fixes(drive_fixes):
    # Between the two sites the receiver loses the sky for 20 s.
    moving = [f for f in drive_fixes if f.speed_kmh > 0]
    gaps = [b.at - a.at for a, b in zip(moving, moving[1:], strict=False)]
    assert max(gaps) >= timedelta(seconds=20)


def test_a_poor_fix_carries_its_accuracy(drive_fixes):
    accuracies = sorted(f.accuracy_m for f in drive_fixes if f.accuracy_m is not None)
    assert accuracies and accuracies[-1] > 5 * accuracies[0]


def test_the_filter_keeps_a_few_fixes_of_the_drive(drive_fixes):
    gate = FixFilter()
    kept = [f for f in drive_fixes if gate.accept(f)]
    assert 20 < len(kept) < len(drive_fixes) / 3


def test_a_gpsd_that_sends_garbage_does_not_crash_the_client():
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    lines = [
        b'{"class":"VERSION","release":"3.22"}',
        b"this is not json",
        b'{"class":"TPV","mode":3,"lat":NaN,"lon":-87.6,"time":"2026-03-02T13:00:00Z"}',
        b'{"class":"TPV","mode":3}',
        b'{"class":"MYSTERY","x":1}',
        b'{"class":"TPV","mode":3,"lat":41.9,"lon":-87.6,"time":"2026-03-02T13:00:01.000Z","speed":2}',
    ]

    def serve():
        connection, _ = server.accept()
        with connection:
            connection.recv(100)
            connection.sendall(b"\n".join(lines) + b"\n")

    threading.Thread(target=serve, daemon=True).start()
    fixes = list(gpsd_fixes("127.0.0.1", port, threading.Event()))
    server.close()
    assert [(f.lat, f.speed_kmh) for f in fixes] == [(41.9, 7.2)]


def test_no_gpsd_is_a_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(GpsdUnavailable, match="cannot reach gpsd"):
        list(gpsd_fixes("127.0.0.1", port, threading.Event()))


def _serving(payload: bytes) -> tuple[socket.socket, int]:
    """A one-connection 'gpsd' that answers ?WATCH with `payload` and then says nothing."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve():
        connection, _ = server.accept()
        with connection:
            connection.recv(100)
            connection.sendall(payload)
            connection.recv(100)  # until the client hangs up

    threading.Thread(target=serve, daemon=True).start()
    return server, server.getsockname()[1]


def test_a_quiet_gpsd_does_not_keep_a_stopping_unit_waiting():
    server, port = _serving(b"")
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    with server:
        assert list(gpsd_fixes("127.0.0.1", port, stop, timeout=600)) == []  # ended by stop, not the timeout


def test_a_line_too_long_for_gpsd_is_skipped_and_the_next_report_read(caplog):
    report = b'{"class":"TPV","mode":3,"lat":41.9,"lon":-87.6,"time":"2026-03-02T13:00:01.000Z","speed":2}\n'
    server, port = _serving(b"x" * 200_000 + b"\n" + report)
    stop = threading.Event()
    with server:
        fixes = gpsd_fixes("127.0.0.1", port, stop, timeout=30)
        assert next(fixes).lat == 41.9
        stop.set()
        assert list(fixes) == []
    assert "longer than" in caplog.text
