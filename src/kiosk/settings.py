"""The kiosk's settings (TOML + DEPOTCLOCK_* environment overrides)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from depotclock.backoff import RetryPauses
from depotclock.config import BrokerUrl, RoleSettings, ZoneName
from depotclock.punch_states import Option
from depotclock.wire.topics import DEVICE_ID_PATTERN
from kiosk.feedback import FeedbackPins
from kiosk.readers.choice import ReaderSettings

DEFAULT_CONFIG = "/etc/depotclock/kiosk.toml"


class KioskSettings(RoleSettings):
    kiosk_id: str = Field(pattern=DEVICE_ID_PATTERN)  # also its broker username
    depot_id: str = Field(pattern=DEVICE_ID_PATTERN)
    mqtt_url: BrokerUrl
    timezone: ZoneName = "UTC"  # the depot's zone, for the times on the screen
    # the screen's language (kiosk.translations); a technician's own, from the roster, wins for what is said to them
    language: Literal["en", "es"] = "en"
    journal_path: Path = Path("/var/lib/depotclock-kiosk/journal.db")
    reader: ReaderSettings = ReaderSettings()
    reader_retry_s: RetryPauses = (0.5, 10.0)  # a failed reader reopened after these pauses: first, longest
    feedback: FeedbackPins | None = None  # None: no LEDs, buzzer or buttons wired
    screen_host: str = "127.0.0.1"
    screen: bool = True  # serve the full-screen page (false on a kiosk with LEDs only)
    screen_port: int = Field(default=8080, ge=0, lt=65536)  # 0: any free port
    double_read_s: float = Field(default=3.0, ge=0)
    answer_s: float = Field(default=6.0, gt=0)
    default_option: Option = Option.CLOCK_OUT
    status_every_s: float = Field(default=60.0, gt=0)
    receipt_timeout_s: float = Field(default=120.0, gt=0)  # sent, no hub receipt: send again
    journal_keep_days: int = Field(default=30, ge=1)  # confirmed entries are pruned after

