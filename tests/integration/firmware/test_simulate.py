"""`depotclock vehicle simulate` drives van-12's recorded day through the real unit to a
real mosquitto: every ignition change, the driver's badge and the fixes the filter keeps
arrive once, on the day asked for, with the route's instants."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from firmware.gps import FixFilter
from firmware.replay import DEFAULT_ROUTE, load_route
from hub.broker.mosquitto_files import BrokerAccount
from tests.fakes.broker import DEFAULT_ACCOUNTS
from tests.integration.firmware.hub_subscriber import Hub, wait_for

DEPOTCLOCK = Path(sys.executable).with_name("depotclock")
DAY = date(2026, 3, 2)
CHICAGO = ZoneInfo("America/Chicago")
pytestmark = pytest.mark.broker


def test_the_recorded_day_arrives_whole_with_its_instants(make_broker, tmp_path):
    broker = make_broker([*DEFAULT_ACCOUNTS, BrokerAccount("van-12", "v12-secret", "vehicle")])
    hub = Hub(broker.port)
    config = tmp_path / "vehicle.toml"
    config.write_text(
        f'vehicle_id = "van-12"\nmqtt_url = "{broker.url("van-12")}"\n'
        f'journal_path = "{tmp_path / "journal.db"}"\n'
        f'[reader]\nfamily = "simulated"\nsimulated_feed = "{tmp_path / "cab-taps"}"\n'
    )
    route = load_route(DEFAULT_ROUTE, DAY)
    gate = FixFilter()
    kept = [e.fix.at for e in route if e.kind == "fix" and gate.accept(e.fix)]
    ignitions = [(e.at, e.on) for e in route if e.kind == "ignition"]
    expected = len(kept) + len(ignitions) + 1

    van = subprocess.Popen(
        [str(DEPOTCLOCK), "vehicle", "simulate", "--config", str(config), "--speed", "1800",
         "--date", DAY.isoformat()],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        wait_for(lambda: len(hub.items) >= expected or van.poll() is not None, "the whole day", timeout=120)
    finally:
        van.send_signal(signal.SIGTERM)
        output = van.communicate(timeout=30)[0]
    hub.close()
    assert van.returncode == 0, output

    items = sorted(hub.items, key=lambda i: i["seq"])
    assert [i["seq"] for i in items] == list(range(1, expected + 1)), output
    assert [datetime.fromisoformat(i["at"]) for i in items if i["type"] == "fix"] == kept
    assert [(datetime.fromisoformat(i["at"]), i["on"]) for i in items if i["type"] == "ignition"] == ignitions
    [driver] = [i for i in items if i["type"] == "driver"]
    assert driver["badge"]["id"] == "DEADBEEF"
    local = [datetime.fromisoformat(i["at"]).astimezone(CHICAGO) for i in items]
    assert {t.date() for t in local} == {DAY}
    assert min(t.strftime("%H:%M") for t in local) == "07:00"
    assert hub.statuses[-1].state == "offline" and hub.statuses[-1].backlog == 0
