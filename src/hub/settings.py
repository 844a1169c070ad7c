"""The hub's settings: where its database and broker are, and the company's payroll zone."""

from __future__ import annotations

from pydantic import field_validator

from depotclock.config import BrokerUrl, RoleSettings, ZoneName

DEFAULT_CONFIG = "/etc/depotclock/hub.toml"


class HubSettings(RoleSettings):
    database_url: str = "sqlite:////var/lib/depotclock/hub.db"
    mqtt_url: BrokerUrl
    timezone: ZoneName = "UTC"

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError("use a sqlite:/// or postgresql:// URL")
        return value
