"""`depotclock vehicle ...`: the van unit's commands."""

from __future__ import annotations

import logging
import signal
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import click

from depotclock.config import ConfigError, load_settings
from firmware.settings import DEFAULT_CONFIG, VehicleSettings


@click.group()
def vehicle() -> None:
    """Run the vehicle unit: ignition and GPS to the hub."""


@vehicle.command()
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=lambda: Path(DEFAULT_CONFIG) if Path(DEFAULT_CONFIG).exists() else None,
    help=f"Vehicle settings (TOML; default {DEFAULT_CONFIG} when present); DEPOTCLOCK_* overrides.",
)
def run(config: Path | None) -> None:
    """Journal ignition changes and GPS fixes and send them to the broker until stopped."""
    from depotclock.clock import system_clock_synced
    from firmware.gps import gpsd_fixes
    from firmware.ignition import IgnitionDebouncer, IgnitionSensor
    from firmware.unit import VehicleUnit

    try:
        settings = load_settings(VehicleSettings, config)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    def now() -> datetime:
        return datetime.now(timezone.utc)

    ignition = IgnitionSensor(
        settings.ignition_pin, IgnitionDebouncer(off_hold_s=settings.ignition_off_hold_s), now
    )
    unit = VehicleUnit(
        settings, ignition, partial(gpsd_fixes, settings.gpsd_host, settings.gpsd_port),
        now=now, clock_synced=system_clock_synced,
    )
    signal.signal(signal.SIGTERM, lambda *_: unit.stop())
    signal.signal(signal.SIGINT, lambda *_: unit.stop())
    unit.run()
