"""The vehicle unit's settings (TOML + DEPOTCLOCK_* environment overrides)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from depotclock.backoff import RetryPauses
from depotclock.config import BrokerUrl, RoleSettings
from depotclock.wire.horizon import FUTURE_TOLERANCE_S
from depotclock.wire.topics import DEVICE_ID_PATTERN
from firmware.obd_ignition import ObdSettings
from kiosk.readers.choice import ReaderSettings

DEFAULT_CONFIG = "/etc/depotclock/vehicle.toml"


class VehicleSettings(RoleSettings):
    vehicle_id: str = Field(pattern=DEVICE_ID_PATTERN)
    mqtt_url: BrokerUrl
    journal_path: Path = Path("/var/lib/depotclock-vehicle/journal.db")
    ignition_source: Literal["gpio", "obd"] = "gpio"  # an optocoupler on a GPIO, or the OBD-II port
    ignition_pin: int = Field(default=23, ge=0, le=53)  # "gpio"
    obd: ObdSettings = ObdSettings()  # "obd": the ELM327 adapter
    ignition_off_hold_s: float = Field(default=20.0, gt=0)
    gpsd_host: str = "127.0.0.1"
    gpsd_port: int = Field(default=2947, gt=0, lt=65536)
    gps_retry_s: RetryPauses = (1.0, 30.0)  # gpsd reached again after these pauses: first, longest
    # a fix dated further ahead of the synchronised clock is not sent (the hub's ingest.future_tolerance_s)
    future_tolerance_s: float = Field(default=FUTURE_TOLERANCE_S, gt=0, le=86400)
    batch_items: int = Field(default=100, ge=1, le=1000)
    receipt_timeout_s: float = Field(default=120.0, gt=0)  # sent, no hub receipt: send again
    journal_keep_days: int = Field(default=30, ge=1)  # confirmed entries are pruned after
    reader: ReaderSettings | None = None  # a badge reader in the cab: who drives
    reader_retry_s: RetryPauses = (1.0, 30.0)  # the cab reader reopened after these pauses: first, longest
