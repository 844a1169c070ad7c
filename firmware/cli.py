"""`depotclock vehicle ...`: the van unit's commands."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import click

from depotclock.command import Group, config_option
from depotclock.config import load_settings
from firmware.ignition import IgnitionDebouncer, IgnitionSensor, IgnitionSource
from firmware.obd_ignition import ObdIgnition
from firmware.settings import DEFAULT_CONFIG, VehicleSettings

vehicle_config = config_option(DEFAULT_CONFIG, "Vehicle")


def _settings(config: Path | None) -> VehicleSettings:
    settings = load_settings(VehicleSettings, config)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    return settings


def _cab_reader(settings: VehicleSettings):
    """The cab's badge reader, when the settings have one."""
    if settings.reader is None:
        return None
    from kiosk.readers.choice import make_reader

    try:
        return make_reader(settings.reader)
    except ImportError as exc:
        raise click.ClickException(f"setting 'reader': {exc}") from None


def _ignition(settings: VehicleSettings, debouncer: IgnitionDebouncer, now: Callable[[], datetime]) -> IgnitionSource:
    """The ignition the settings name: the OBD-II port, or the GPIO line (gpiozero is
    imported for that one only)."""
    if settings.ignition_source == "obd":
        return ObdIgnition(settings.obd, debouncer, now)
    from gpiozero.exc import GPIOZeroError

    try:
        return IgnitionSensor(settings.ignition_pin, debouncer, now)
    except GPIOZeroError as exc:
        raise click.ClickException(
            f"cannot read the ignition on GPIO {settings.ignition_pin} (setting 'ignition_pin'): "
            f"{exc} (on a machine without GPIO, `depotclock vehicle simulate` drives a recorded route)"
        ) from None


def _run_until_signalled(unit, *also_stop) -> None:
    """Run the unit, telling systemd (when it started us) that it runs and still polls."""
    from depotclock.systemd_notify import SystemdNotifier

    notifier = SystemdNotifier.from_environment()

    def stop(*_):
        notifier.stopping()
        for other in also_stop:
            other.stop()
        unit.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    unit.run(heartbeat=lambda healthy: notifier.beat(status=lambda: _status(unit), healthy=healthy))


def _status(unit) -> str:
    """The unit in one line, for `systemctl status`."""
    link = "waiting for GPS time to connect" if unit.link is None else "online" if unit.link.connected.is_set() else "offline"
    ignition = "on" if unit.ignition.debouncer.state else "off"
    if unit.obd is not None:
        ignition += " (OBD-II: " + ("ok" if unit.obd.ok else unit.obd.error or "not answering") + ")"
    return (f"{link}, {unit.journal.backlog()} events waiting, "
            f"{unit.journal.unconfirmed()} not yet confirmed by the hub, ignition {ignition}, "
            f"GPS {'ok' if unit.gps_ok else 'lost'}" + "".join(f"; {fault}" for fault in unit.faults))


@click.group(cls=Group)
def vehicle() -> None:
    """Run the vehicle unit: ignition, GPS and driver badge to the hub."""


@vehicle.command()
@vehicle_config
def run(config: Path | None) -> None:
    """Journal ignition changes, GPS fixes and cab badge reads and send them to the broker
    until stopped."""
    from depotclock.clock import system_clock_synced
    from firmware.gps import gpsd_fixes
    from firmware.unit import VehicleUnit

    settings = _settings(config)
    reader = _cab_reader(settings)

    def now() -> datetime:
        return datetime.now(timezone.utc)

    debouncer = IgnitionDebouncer(off_hold_s=settings.ignition_off_hold_s)
    unit = VehicleUnit(
        settings, _ignition(settings, debouncer, now), partial(gpsd_fixes, settings.gpsd_host, settings.gpsd_port),
        now=now, clock_synced=system_clock_synced, reader=reader,
    )
    _run_until_signalled(unit)


@vehicle.command()
@vehicle_config
@click.option(
    "--route",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A recorded route (CSV; default: van-12's day in Chicago, shipped with the unit).",
)
@click.option(
    "--speed", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
    help="Route seconds played per real second.",
)
@click.option(
    "--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day to lay the route on (default: today in the route's zone).",
)
def simulate(config: Path | None, route: Path | None, speed: float, day: datetime | None) -> None:
    """Drive a recorded route through the real unit, then stay parked until stopped.

    Fixes come from the route instead of gpsd, the ignition from a mock GPIO pin the route
    drives; journal, forwarder, broker and status are the unit's own.
    """
    from gpiozero.pins.mock import MockFactory

    from depotclock.wire.badge import ReaderFamily
    from firmware.replay import DEFAULT_ROUTE, RouteReplay, SimulatedClock, load_route
    from firmware.unit import VehicleUnit

    settings = _settings(config)
    events = load_route(route or DEFAULT_ROUTE, day.date() if day else None)
    clock = SimulatedClock(events[0].at, speed)
    pins = MockFactory()
    debouncer = IgnitionDebouncer(off_hold_s=settings.ignition_off_hold_s)
    ignition = IgnitionSensor(settings.ignition_pin, debouncer, clock.now, pin_factory=pins)
    reader = settings.reader
    feed = reader.simulated_feed if reader and reader.family is ReaderFamily.SIMULATED else None
    replay = RouteReplay(events, clock, pins.pin(settings.ignition_pin), badge_feed=feed, debouncer=debouncer)
    unit = VehicleUnit(
        settings, ignition, replay.fixes, now=clock.now, reader=_cab_reader(settings),
    )
    logging.getLogger(__name__).info(
        "van %s drives %s from %s at %gx", settings.vehicle_id, route or DEFAULT_ROUTE,
        events[0].at.isoformat(), speed,
    )

    def play() -> None:
        deadline = time.monotonic() + 10
        while unit.cab and not unit.cab.ok and time.monotonic() < deadline:
            time.sleep(0.05)  # the route's badge taps need the cab reader listening
        replay.run()

    threading.Thread(target=play, name="replay", daemon=True).start()
    _run_until_signalled(unit, replay)
