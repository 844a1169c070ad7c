"""Ignition (and speed, odometer) from the car's OBD-II port, through an ELM327 adapter.

Most vans have no optocoupler on a GPIO but do have an OBD-II port. The engine runs while
the car reports an RPM above zero (or, `engine_from = "voltage"`, while the adapter reads
the alternator's charging voltage on the port's battery pin), debounced like the GPIO line
(firmware.ignition) so a stall or a missed answer is not a stop. python-OBD (`obd`) talks to
the adapter; it is imported when the source is opened, so the unit imports without it.

The adapter not answering (unplugged, asleep) and the car not answering (ignition off:
its ECUs sleep) are different: the first leaves the engine's state as it was and the
adapter is opened again after a pause (depotclock.backoff); the second reads as engine
off. Each shows in the unit's status (`ok`, `error`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from depotclock.backoff import Backoff, RetryPauses
from firmware.ignition import IgnitionChange, IgnitionDebouncer

log = logging.getLogger(__name__)


class ObdSettings(BaseModel):
    """vehicle.toml's [obd] table, read when `ignition_source = "obd"`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    port: str | None = None  # the adapter's serial device (/dev/ttyUSB0, /dev/rfcomm0); None: python-OBD scans
    baudrate: int | None = Field(default=None, gt=0)  # None: python-OBD tries the usual ones
    poll_s: float = Field(default=1.0, gt=0, le=60)  # how often the engine is asked
    timeout_s: float = Field(default=2.0, gt=0, le=30)  # an answer slower than this is none
    engine_from: Literal["rpm", "voltage"] = "rpm"
    running_volts: float = Field(default=13.2, gt=0, lt=40)  # "voltage": the alternator charging
    retry_s: RetryPauses = (2.0, 60.0)  # the adapter opened again after these pauses: first, longest


class AdapterSilent(Exception):
    """The ELM327 adapter does not answer."""


class CarSilent(Exception):
    """The adapter answers, the car did not when it was opened (no protocol found)."""


def _odometer(messages):
    """PID 01A6 (SAE J1979, 2015 on): four bytes, tenths of a km. python-OBD 0.7 lacks it."""
    data = messages[0].data[2:] if messages else b""
    return int.from_bytes(data[:4], "big") / 10 if len(data) >= 4 else None


class ObdIgnition:
    """The OBD-II ignition source: `run(stop)` in a reader thread asks the car, `poll()` from
    the unit's loop confirms changes (the same interface as firmware.ignition.IgnitionSensor)."""

    def __init__(self, settings: ObdSettings, debouncer: IgnitionDebouncer, now: Callable[[], datetime],
                 changed: Callable[[], None] = lambda: None):
        self.settings, self.debouncer, self.now, self.changed = settings, debouncer, now, changed
        self.ok = False
        self.error: str | None = "the OBD-II adapter is not open yet"
        self.speed_kmh: float | None = None
        self.odometer_km: float | None = None
        self._connection = None
        self._odometer = None  # python-OBD's command for PID 01A6, made when the adapter is opened
        self._lock = threading.Lock()

    def poll(self) -> IgnitionChange | None:
        return self.debouncer.tick(self.now())

    def _health(self, ok: bool, error: str | None) -> None:
        if (ok, error) != (self.ok, self.error):
            self.ok, self.error = ok, error
            if error:
                log.warning("OBD-II: %s", error)
            self.changed()

    def _open(self):
        import obd

        where = self.settings.port or "any serial port"
        try:
            connection = obd.OBD(self.settings.port, self.settings.baudrate, fast=False,
                                 timeout=self.settings.timeout_s, check_voltage=False)
        except OSError as exc:  # pyserial's SerialException: python-OBD lets some through
            raise AdapterSilent(f"the OBD-II adapter at {where} does not answer: {exc}") from None
        if connection.status() == obd.OBDStatus.NOT_CONNECTED:
            connection.close()
            raise AdapterSilent(f"the OBD-II adapter at {where} does not answer")
        with self._lock:
            self._connection = connection
        self._odometer = obd.OBDCommand("ODOMETER", "Odometer", b"01A6", 6, _odometer, obd.ECU.ENGINE, True)
        return connection

    def _ask(self, connection) -> bool | None:
        """One round of questions: whether the engine runs (None: the adapter is silent)."""
        import obd

        commands = obd.commands
        if self.settings.engine_from == "voltage":
            volts = connection.query(commands.ELM_VOLTAGE, force=True)
            if volts.is_null():
                return None
            running = volts.value.magnitude >= self.settings.running_volts
        else:
            rpm = connection.query(commands.RPM, force=True)
            if connection.status() == obd.OBDStatus.NOT_CONNECTED:
                return None
            if rpm.is_null():
                self.speed_kmh = None
                self._health(False, "the car does not answer (ignition off, or no OBD-II on this port)")
                return False
            running = rpm.value.magnitude > 0
        if connection.status() == obd.OBDStatus.CAR_CONNECTED:
            speed = connection.query(commands.SPEED, force=True)
            self.speed_kmh = None if speed.is_null() else float(speed.value.to("km/h").magnitude)
            odometer = connection.query(self._odometer, force=True)
            self.odometer_km = self.odometer_km if odometer.is_null() else odometer.value
        self._health(True, None)
        return running

    def _read_until_silent(self, stop: threading.Event, backoff: Backoff) -> None:
        import obd

        connection = self._open()
        try:
            backoff.worked()
            if self.settings.engine_from == "rpm" and connection.status() != obd.OBDStatus.CAR_CONNECTED:
                self.debouncer.edge(False, self.now())
                raise CarSilent("the car does not answer (ignition off, or no OBD-II on this port)")
            while not stop.is_set():
                try:
                    running = self._ask(connection)
                except OSError as exc:
                    raise AdapterSilent(f"the OBD-II adapter at {self.settings.port or 'its port'} "
                                        f"went away: {exc}") from None
                if running is None:
                    raise AdapterSilent(f"the OBD-II adapter at {self.settings.port or 'its port'} stopped answering")
                self.debouncer.edge(running, self.now())
                stop.wait(self.settings.poll_s)
        finally:
            self._close()

    def run(self, stop: threading.Event) -> None:
        """Ask the car until `stop`; open the adapter again after a pause when it falls silent."""
        backoff = Backoff(self.settings.retry_s)
        while not stop.is_set():
            try:
                self._read_until_silent(stop, backoff)
            except AdapterSilent as exc:
                self._health(False, f"{exc}; trying again in {backoff.pause_s:g} s")
            except CarSilent as exc:  # asked again soon: the engine may start any moment
                self._health(False, str(exc))
            backoff.wait(stop)

    def _close(self) -> None:
        with self._lock:
            connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def close(self) -> None:
        self._close()
