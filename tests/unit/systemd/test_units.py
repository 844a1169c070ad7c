"""Every unit file passes `systemd-analyze verify` (with our command standing in), and each
runs as a watched, hardened service: its own user, started after the network is online,
restarted on failure or when its watchdog pings stop, writing only under its state
directory."""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

UNITS = sorted((Path(__file__).parents[3] / "src" / "depotclock" / "appliance" / "units").glob("*.service"))
LONG_RUNNING = ["depotclock-hub-ingest@.service", "depotclock-hub-web.service",
                "depotclock-kiosk.service", "depotclock-vehicle.service"]
HARDENING = {"ProtectSystem": "strict", "ProtectHome": "true", "PrivateTmp": "true", "NoNewPrivileges": "true"}


def _settings(unit: Path) -> dict[str, list[str]]:
    """KEY -> values, across sections (a key may repeat, e.g. DeviceAllow)."""
    settings = defaultdict(list)
    for line in unit.read_text().splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            settings[key.strip()].append(value.strip())
    return settings


@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_unit_verifies(unit, tmp_path):
    assert shutil.which("systemd-analyze"), "systemd-analyze is missing (apt-get install systemd)"
    # verify checks that ExecStart exists: point it at a stand-in in a scratch copy.
    stand_in = tmp_path / "depotclock"
    stand_in.write_text("#!/bin/sh\n")
    stand_in.chmod(0o755)
    copy = tmp_path / unit.name
    copy.write_text(unit.read_text().replace("/opt/depotclock/.venv/bin/depotclock", str(stand_in)))
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(copy)], capture_output=True, text=True
    )
    # A template is verified as an instance (name@i.service): match its messages too.
    name = unit.name.split("@")[0].removesuffix(".service")
    problems = [line for line in result.stderr.splitlines() if name in line]
    assert result.returncode == 0 and not problems, result.stderr


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_long_running_unit_is_watched_and_hardened(name):
    settings = _settings(UNITS[0].with_name(name))
    assert settings["Type"] == ["notify"] and settings["NotifyAccess"] == ["main"]
    assert int(settings["WatchdogSec"][0]) > 0
    assert settings["Restart"] == ["on-failure"]
    assert "network-online.target" in " ".join(settings["After"] + settings["Wants"]).split()
    assert settings["User"][0].startswith("depotclock-") and settings["User"][0] != "root"
    assert {k: settings[k] for k in HARDENING} == {k: [v] for k, v in HARDENING.items()}
    assert settings["StateDirectory"]
    assert set(settings["ReadWritePaths"]) <= {"-/run/pcscd"}  # besides state: pcscd's socket
