"""What `depotclock vehicle run` imports to start, run as its unit runs it (PYTHONOPTIMIZE=2
among its unit's environment): the van's own code and libraries, no hub, no Flask or other
kiosk screen, and only the ignition's library it is configured with (gpiozero for the GPIO
line, python-OBD for the OBD-II port). A small board's memory is the reason
(bench/device_start.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from depotclock.appliance.roles import unit_environment
from depotclock.readiness import NotifySocket

# The van's command, which says what it had imported once it has stopped.
VAN = ("import atexit, sys; atexit.register(lambda: print(' '.join(sorted(sys.modules)), file=sys.stderr)); "
       "from depotclock.cli import main; main()")
# Libraries and packages no van needs: the hub's, the kiosk's screen and the installer.
NEVER = {"hub", "flask", "werkzeug", "jinja2", "sqlalchemy", "babel", "jsonschema", "kiosk.screen", "kiosk.cli",
         "depotclock.appliance"}


def _started_modules(folder: Path, settings: str = "") -> set[str]:
    """The modules the van unit had imported once it was ready (READY=1) and then stopped."""
    config = folder / "vehicle.toml"
    config.write_text(
        'vehicle_id = "van-12"\nmqtt_url = "mqtt://van-12:pw@127.0.0.1:9"\n'
        f'journal_path = "{folder / "van.db"}"\ngpsd_port = 9\n{settings}'
    )
    notify = NotifySocket()
    process = subprocess.Popen(
        [sys.executable, "-c", VAN, "vehicle", "run", "--config", str(config)],
        env={**os.environ, **unit_environment("depotclock-vehicle.service"), **notify.environment(),
             "GPIOZERO_PIN_FACTORY": "mock"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        notify.wait_ready(process, "the van unit")
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
        notify.close()
    assert process.returncode == 0, errors
    return set(errors.strip().splitlines()[-1].split())


def _imported(modules: set[str], package: str) -> bool:
    return any(module == package or module.startswith(package + ".") for module in modules)


def test_the_van_with_a_gpio_ignition_imports_no_hub_flask_or_obd(tmp_path):
    modules = _started_modules(tmp_path)
    assert "firmware.unit" in modules and _imported(modules, "gpiozero")  # it did start, on its GPIO line
    assert not [package for package in NEVER | {"obd"} if _imported(modules, package)]


def test_the_van_with_an_obd_ignition_imports_no_gpiozero(tmp_path):
    modules = _started_modules(tmp_path, f'ignition_source = "obd"\n[obd]\nport = "{tmp_path / "no-adapter"}"\n')
    assert "firmware.unit" in modules
    # (pint, python-OBD's units, loads babel where it is installed: the test venv has the kiosk's)
    assert not [package for package in NEVER - {"babel"} | {"gpiozero"} if _imported(modules, package)]
