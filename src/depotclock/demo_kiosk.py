"""The demo depot's kiosk: the real kiosk process on a simulated reader that the demo taps,
so the depot shows its technicians badging in (and one stranger's badge refused)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from depotclock.demo_company import DEMO_DEPOT, DEMO_KIOSKS, DEMO_TECHNICIANS
from depotclock.mosquitto import free_port

DEMO_KIOSK = DEMO_KIOSKS[0]
STRANGER = "0BADCAFE"  # a badge nobody holds: the supervisor can enroll it from the hub
TAP_EVERY_S = 4.0


def start_demo_kiosk(
    stack: ExitStack, state_dir: Path, broker_url: str,
    start_process: Callable[[ExitStack, list[str], Path], subprocess.Popen],
) -> tuple[str, Path]:
    """Start the kiosk process; returns its screen's address and the reader's FIFO."""
    kiosk_dir = state_dir / DEMO_KIOSK
    kiosk_dir.mkdir()
    feed, port = (kiosk_dir / "taps").resolve(), free_port()
    config = kiosk_dir / "kiosk.toml"
    config.write_text(
        f'kiosk_id = "{DEMO_KIOSK}"\n'
        f'depot_id = "{DEMO_DEPOT["id"]}"\n'
        f'mqtt_url = "{broker_url}"\n'
        f'timezone = "{DEMO_DEPOT["timezone"]}"\n'
        f'journal_path = "{(kiosk_dir / "journal.db").resolve()}"\n'
        f"screen_port = {port}\n"
        "\n[reader]\n"
        'family = "simulated"\n'
        f'simulated_feed = "{feed}"\n'
    )
    depotclock = str(Path(sys.executable).with_name("depotclock"))
    start_process(stack, [depotclock, "kiosk", "run", "--config", str(config)], kiosk_dir / "kiosk.log")
    return f"http://127.0.0.1:{port}/", feed


def tap(feed: Path, badge: str, timeout: float = 20.0) -> None:
    """Present a badge to the simulated reader, once the kiosk has it open."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(feed, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    try:
        os.write(fd, f"{badge}\n".encode())
    finally:
        os.close(fd)


def badge_in_everyone(feed: Path, stop: threading.Event) -> threading.Thread:
    """In the background: each demo technician badges in, a few seconds apart, then a
    stranger's badge is presented."""

    def run() -> None:
        for badge in [t[4] for t in DEMO_TECHNICIANS] + [STRANGER]:
            if stop.wait(TAP_EVERY_S):
                return
            try:
                tap(feed, badge)
            except OSError:
                return  # the kiosk is gone: the demo is stopping

    thread = threading.Thread(target=run, name="demo-taps", daemon=True)
    thread.start()
    return thread
