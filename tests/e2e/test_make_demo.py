"""`make demo`, the README's first command, brings the demo depot up through scripts/demo,
and Ctrl-C in the terminal (SIGINT to the whole foreground process group: make, the
demo and everything it started) leaves no process behind."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

ROOT = Path(__file__).parents[2]


def _group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed (scripts/demo is the same)")
def test_make_demo_comes_up_and_ctrl_c_stops_all_of_it(tmp_path):
    demo = subprocess.Popen(
        ["make", "demo", f"ARGS=--state-dir {tmp_path / 'demo'}"], cwd=ROOT, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal
    )
    output = []
    try:
        for line in demo.stdout:
            output.append(line)
            if "screen: http://" in line:  # the demo's last line
                break
        text = "".join(output)
        web = re.search(r"web +(http://127\.0\.0\.1:\d+)/board +\(log in as sam, password \S+\)", text)
        assert web, text
        with urlopen(f"{web.group(1)}/login", timeout=10) as page:
            assert page.status == 200
    finally:
        if not _group_gone(demo.pid):
            os.killpg(demo.pid, signal.SIGINT)  # Ctrl-C
        rest = demo.stdout.read()
        demo.wait(60)
    assert "Stopping the demo depot." in rest
    deadline = time.monotonic() + 30
    while not _group_gone(demo.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _group_gone(demo.pid), subprocess.run(
        ["ps", "-o", "pid,stat,cmd", "-g", str(demo.pid)], capture_output=True, text=True).stdout
