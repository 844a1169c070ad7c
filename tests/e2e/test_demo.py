"""`depotclock demo` brings up broker, database and company, and Ctrl-C stops all of it."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from depotclock.cli import main

DEPOTCLOCK = Path(sys.executable).with_name("depotclock")


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_demo_runs_and_stops_on_ctrl_c(tmp_path):
    state = tmp_path / "demo"
    demo = subprocess.Popen(
        [str(DEPOTCLOCK), "demo", "--state-dir", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in demo.stdout:
        lines.append(line)
        if line.startswith("Ctrl-C"):
            break
    output = "".join(lines)
    assert "demo depot is up" in output, output
    port = int(re.search(r"broker +mqtt://127\.0\.0\.1:(\d+)", output).group(1))
    assert _port_open(port)

    status = CliRunner().invoke(main, ["hub", "--config", str(state / "hub.toml"), "status"])
    assert status.exit_code == 0, status.output
    assert re.search(r"technicians +4", status.output)
    assert "hub login accepted" in status.output

    demo.send_signal(signal.SIGINT)
    assert demo.wait(20) == 0
    assert "Stopping the demo depot." in demo.stdout.read()
    assert not _port_open(port)
