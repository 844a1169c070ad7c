"""depotclock-vehicle.service: its own user, restarted on failure, and the device
access the ignition and a cab badge reader need (issue 5). `tests/unit/systemd` verifies
the file with systemd-analyze."""

from __future__ import annotations

from pathlib import Path

UNIT = Path(__file__).parents[3] / "src" / "depotclock" / "appliance" / "units" / "depotclock-vehicle.service"


def service() -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():  # repeated keys (DeviceAllow=) add up
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values.setdefault(key, []).append(value)
    return values


def test_it_runs_as_its_own_user_and_restarts_on_failure():
    unit = service()
    assert unit["User"] == ["depotclock-vehicle"] and unit["Group"] == ["depotclock-vehicle"]
    assert unit["Restart"] == ["on-failure"]
    assert unit["StateDirectory"] == ["depotclock-vehicle"]
    assert unit["ExecStart"][0].endswith("depotclock vehicle run --config /etc/depotclock/vehicle.toml")


def test_it_runs_without_docstrings_and_plugin_lookups():
    """Some 2 MB less resident on a small board (bench/device_start.py); the installer
    compiles the venv's .opt-2.pyc for it."""
    assert {"PYTHONOPTIMIZE=2", "PYDANTIC_DISABLE_PLUGINS=__all__"} <= set(service()["Environment"])


def test_it_may_reach_the_ignition_gpio_and_every_cab_reader_family():
    unit = service()
    groups = unit["SupplementaryGroups"][0].split()
    assert {"gpio", "spi", "input"} <= set(groups)  # ignition + MFRC522 reset, MFRC522, wedge
    allowed = {value.split()[0] for value in unit["DeviceAllow"]}
    assert {"/dev/gpiomem", "char-gpiochip", "char-spi", "char-input"} <= allowed
    assert "pcscd.socket" in unit["After"][0]  # a PC/SC reader goes through pcscd
