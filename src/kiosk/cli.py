"""`depotclock kiosk ...`: the depot terminal's commands."""

from __future__ import annotations

import logging
import signal
import time
from datetime import datetime, timezone
from pathlib import Path

import click

from depotclock.command import Group, config_option
from depotclock.config import load_settings
from kiosk.settings import DEFAULT_CONFIG, KioskSettings

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


@click.group(cls=Group)
def kiosk() -> None:
    """Run the depot kiosk: badge taps to punches."""


@kiosk.command()
@config_option(DEFAULT_CONFIG, "Kiosk")
def run(config: Path | None) -> None:
    """Read badges, journal punches and send them to the hub until stopped."""
    from depotclock.clock import system_clock_synced
    from depotclock.systemd_notify import SystemdNotifier
    from kiosk.readers.choice import make_reader
    from kiosk.terminal import DeviceClocks, Kiosk

    settings = load_settings(KioskSettings, config)
    reader = make_reader(settings.reader)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    clocks = DeviceClocks(
        now=lambda: datetime.now(timezone.utc), monotonic=time.monotonic,
        synced=system_clock_synced, boot_id=BOOT_ID.read_text().strip(),
    )
    notifier = SystemdNotifier.from_environment()
    terminal = Kiosk(settings, reader, clocks)

    def stop(*_) -> None:
        notifier.stopping()
        terminal.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if terminal.screen_server:
        logging.getLogger(__name__).info(
            "screen on http://%s:%d/", settings.screen_host, terminal.screen_server.port
        )
    # Ready once the reader has been tried: a reader that fails is reopened with backoff
    # and shown on the screen, which a restart would only blank.
    terminal.run(heartbeat=lambda: notifier.beat(
        ready=terminal.reader_tried.is_set(), status=lambda: _status(terminal)))


def _status(terminal) -> str:
    """The kiosk in one line, for `systemctl status`."""
    link = "online" if terminal.link.connected.is_set() else "offline"
    reader = "reader ok" if terminal.reader_error is None else f"reader: {terminal.reader_error}"
    journal = terminal.journal
    return (f"{link}, {journal.backlog()} punches waiting, "
            f"{journal.unconfirmed()} not yet confirmed by the hub, {reader}")
