"""Every unit file passes `systemd-analyze verify` (with our command standing in)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

UNITS = sorted((Path(__file__).parents[3] / "systemd").glob("*.service"))


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
    problems = [line for line in result.stderr.splitlines() if unit.name in line or copy.name in line]
    assert result.returncode == 0 and not problems, result.stderr
