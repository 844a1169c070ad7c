"""The hub's settings: where its database and broker are, and the company's payroll zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import field_validator

from depotclock.config import RoleSettings
from depotclock.mqtt_url import BrokerAddress

DEFAULT_CONFIG = "/etc/depotclock/hub.toml"


class HubSettings(RoleSettings):
    database_url: str = "sqlite:////var/lib/depotclock/hub.db"
    mqtt_url: str
    timezone: str = "UTC"

    @field_validator("mqtt_url")
    @classmethod
    def _broker_url(cls, value: str) -> str:
        BrokerAddress.from_url(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone such as America/Chicago") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError("use a sqlite:/// or postgresql:// URL")
        return value
