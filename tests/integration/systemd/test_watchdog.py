"""Each long-running process under systemd's protocol, for real: started with its unit's
ExecStart (our config in place of /etc's), NOTIFY_SOCKET on a socket the test binds and
WATCHDOG_USEC set, it says READY=1 once it serves, then WATCHDOG=1 again and again; while
its loop is stopped (SIGSTOP) the pings stop, so systemd would restart it; on SIGTERM it
says STOPPING=1."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from depotclock.mosquitto import free_port
from hub.store.migrate import upgrade
from tests.integration.systemd.service_manager import ServiceManager

DEPOTCLOCK = str(Path(sys.executable).with_name("depotclock"))
UNITS = Path(__file__).parents[3] / "src" / "depotclock" / "appliance" / "units"
WATCHDOG_S = 1.0  # pings every half second


@pytest.fixture
def manager():
    manager = ServiceManager(WATCHDOG_S)
    yield manager
    manager.close()


def _exec_start(unit: str, config: Path, swap: dict[str, str] | None = None) -> list[str]:
    """The unit's command, with this venv's depotclock, our config, instance 1 (and `swap`)."""
    [line] = [row for row in (UNITS / unit).read_text().splitlines() if row.startswith("ExecStart=")]
    line = line.removeprefix("ExecStart=").replace("/opt/depotclock/.venv/bin/depotclock", DEPOTCLOCK)
    line = line.replace("%i", "1")
    for old, new in (swap or {}).items():
        line = line.replace(old, new)
    args = line.split()
    args[args.index("--config") + 1] = str(config)
    return args


def _start(manager: ServiceManager, args: list[str], log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(args, env=manager.environment(), stdout=out, stderr=subprocess.STDOUT)


def _watched_until_stopped(manager: ServiceManager, process: subprocess.Popen, stop: list[int], log: Path) -> None:
    """READY=1, pings, none while `stop` are stopped, pings again, STOPPING=1 on SIGTERM."""
    try:
        manager.wait_for("READY", process=process)
        pinged = manager.count("WATCHDOG")
        manager.wait_for("WATCHDOG", pinged + 3, process=process)
        assert manager.pings_while_stopped(stop) == 0
        pinged = manager.count("WATCHDOG")
        manager.wait_for("WATCHDOG", pinged + 2, process=process)  # alive again, pinging again
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(30)
    assert code == 0, log.read_text()[-3000:]
    assert manager.keys().count("READY") == 1
    assert manager.keys().count("STOPPING") == 1


@pytest.mark.broker
def test_ingest_is_ready_once_subscribed_and_pings_from_its_loop(manager, make_broker, tmp_path):
    broker = make_broker()
    database = f"sqlite:///{tmp_path / 'hub.db'}"
    upgrade(database)
    config = tmp_path / "hub.toml"
    config.write_text(f'database_url = "{database}"\nmqtt_url = "{broker.url("hub")}"\n')
    log = tmp_path / "ingest.log"
    ingest = _start(manager, _exec_start("depotclock-hub-ingest@.service", config), log)
    _watched_until_stopped(manager, ingest, [ingest.pid], log)
    assert "ingest ready" in log.read_text()
    assert manager.first("READY")["STATUS"] == "connected; stored 0, duplicates 0, dead letters 0"


def test_kiosk_is_ready_once_its_reader_opened_and_pings_from_its_loop(manager, tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(  # no broker: a kiosk serves offline
        f'kiosk_id = "kiosk-1"\ndepot_id = "north"\nmqtt_url = "mqtt://kiosk-1:x@127.0.0.1:{free_port()}"\n'
        f'journal_path = "{tmp_path / "kiosk.db"}"\nscreen = false\n'
        f'[reader]\nfamily = "simulated"\nsimulated_feed = "{tmp_path / "taps"}"\n'
    )
    log = tmp_path / "kiosk.log"
    kiosk = _start(manager, _exec_start("depotclock-kiosk.service", config), log)
    _watched_until_stopped(manager, kiosk, [kiosk.pid], log)
    assert manager.first("READY")["STATUS"] == "offline, 0 punches waiting, 0 not yet confirmed by the hub, reader ok"


def test_vehicle_unit_is_ready_once_polling_and_pings_from_its_loop(manager, tmp_path):
    config = tmp_path / "vehicle.toml"
    config.write_text(
        f'vehicle_id = "van-12"\nmqtt_url = "mqtt://van-12:x@127.0.0.1:{free_port()}"\n'
        f'journal_path = "{tmp_path / "journal.db"}"\n'
    )
    log = tmp_path / "vehicle.log"
    # `vehicle run` needs GPIO; `simulate` runs the same unit with a mock pin.
    van = _start(manager, [DEPOTCLOCK, "vehicle", "simulate", "--config", str(config), "--speed", "600"], log)
    _watched_until_stopped(manager, van, [van.pid], log)
    assert "not yet confirmed by the hub, ignition" in manager.first("READY")["STATUS"]


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_web_master_is_ready_and_pings_only_while_workers_answer(manager, tmp_path):
    database = f"sqlite:///{tmp_path / 'hub.db'}"
    upgrade(database)
    config = tmp_path / "hub.toml"
    config.write_text(f'database_url = "{database}"\nmqtt_url = "mqtt://hub:x@127.0.0.1:1883"\n')
    log = tmp_path / "web.log"
    command = _exec_start("depotclock-hub-web.service", config,
                          {"--port 8000": f"--port {free_port()}", "--workers 4": "--workers 2"})
    web = _start(manager, command, log)
    manager.wait_for("READY", process=web)
    workers = _children(web.pid)
    assert len(workers) == 2
    # Workers stopped, master running: nothing answers, so nothing pings.
    _watched_until_stopped(manager, web, workers, log)
    assert manager.first("READY")["STATUS"].startswith("2 workers answering")
    assert not any("arbiter booted" in s for s in manager.statuses())  # gunicorn's early READY
