"""The sd_notify adapter against a real AF_UNIX datagram socket (systemd's own protocol):
sd_watchdog_enabled(3)'s reading of WATCHDOG_USEC and WATCHDOG_PID, pings at half the
timeout, READY=1 once, nothing at all without NOTIFY_SOCKET."""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path

import pytest

from depotclock.systemd_notify import NotifyError, SystemdNotifier, watchdog_timeout


@pytest.fixture
def manager():
    """The service manager's end: a datagram socket bound to a short path."""
    path = Path(tempfile.mkdtemp(prefix="sd-")) / "notify"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.setblocking(False)
    yield path, sock
    sock.close()
    path.unlink()
    path.parent.rmdir()


def _received(sock) -> list[str]:
    datagrams = []
    while True:
        try:
            datagrams.append(sock.recv(4096).decode())
        except BlockingIOError:
            return datagrams


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("environ, expected", [
    ({}, None),
    ({"WATCHDOG_USEC": "30000000"}, 30.0),
    ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "4242"}, 30.0),
    ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "4243"}, None),  # another process's watchdog
])
def test_watchdog_timeout_as_sd_watchdog_enabled_reads_it(environ, expected):
    assert watchdog_timeout(environ, 4242) == expected


@pytest.mark.parametrize("usec", ["0", "-5", "30s"])
def test_a_nonsense_watchdog_usec_is_named(usec):
    with pytest.raises(NotifyError, match=f"WATCHDOG_USEC='{usec}'"):
        watchdog_timeout({"WATCHDOG_USEC": usec}, 1)


def test_ready_once_then_a_ping_and_status_every_half_timeout(manager):
    path, sock = manager
    clock = Clock()
    notifier = SystemdNotifier(str(path), watchdog_s=4.0, clock=clock)
    notifier.beat(ready=False, status=lambda: "starting")
    notifier.beat(ready=True, status=lambda: "3 punches\nwaiting")
    clock.now += 1.9
    notifier.beat(status=lambda: "not sent")
    clock.now += 0.1
    notifier.beat(status=lambda: "2 punches waiting")
    notifier.stopping()
    assert _received(sock) == [
        "WATCHDOG=1\nSTATUS=starting",
        "READY=1\nSTATUS=3 punches waiting",
        "WATCHDOG=1\nSTATUS=2 punches waiting",
        "STOPPING=1\nSTATUS=stopping",
    ]


def test_while_a_part_has_failed_the_status_goes_and_the_ping_does_not(manager):
    """Issue 20: a van unit whose GPS thread died went on pinging; now systemd restarts it."""
    path, sock = manager
    clock = Clock()
    notifier = SystemdNotifier(str(path), watchdog_s=4.0, clock=clock)
    notifier.beat(status=lambda: "GPS ok")
    clock.now += 2.0
    notifier.beat(status=lambda: "gps reader failed: KeyError", healthy=False)
    clock.now += 2.0
    notifier.beat(status=lambda: "GPS ok")
    assert _received(sock) == [
        "READY=1\nWATCHDOG=1\nSTATUS=GPS ok",
        "STATUS=gps reader failed: KeyError",
        "WATCHDOG=1\nSTATUS=GPS ok",
    ]


def test_without_a_watchdog_only_readiness_and_status(manager):
    path, sock = manager
    clock = Clock()
    notifier = SystemdNotifier(str(path), watchdog_s=None, clock=clock)
    notifier.beat(status=lambda: "up")
    clock.now += 10.0
    notifier.beat()
    assert _received(sock) == ["READY=1\nSTATUS=up"]


def test_without_notify_socket_nothing_is_sent_or_opened():
    notifier = SystemdNotifier.from_environment({"WATCHDOG_USEC": "1000000"})
    assert not notifier.enabled
    notifier.beat(status=lambda: pytest.fail("status asked for nothing"))
    notifier.stopping()


def test_a_vanished_socket_is_logged_not_raised(manager, caplog):
    path, sock = manager
    clock = Clock()
    notifier = SystemdNotifier(str(path.with_name("gone")), watchdog_s=1.0, clock=clock)
    for _ in range(3):
        notifier.beat()
        clock.now += 1.0
    assert [r.message.split(":")[0] for r in caplog.records] == [f"cannot notify systemd at {path.with_name('gone')}"]
