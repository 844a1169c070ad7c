"""Typed settings from a TOML file with DEPOTCLOCK_* environment overrides.

Each role (hub, kiosk, vehicle) declares a `RoleSettings` subclass; `load_settings` reads
it at the edge and a wrong or missing setting stops start-up with a `ConfigError` that
names the setting and where it came from.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from depotclock.errors import DepotClockError
from depotclock.mqtt_url import BrokerAddress

ENV_PREFIX = "DEPOTCLOCK_"
NESTED = "__"


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA time zone such as America/Chicago") from None
    return value


def _broker_url(value: str) -> str:
    BrokerAddress.from_url(value)
    return value


def _broker_url_from_here(value: str) -> str:
    ca_file = BrokerAddress.from_url(value).ca_file
    if ca_file is not None and not Path(ca_file).is_file():
        raise ValueError(f"cafile={ca_file}: no such file here (the broker's CA certificate, PEM)")
    return value


ZoneName = Annotated[str, AfterValidator(_zone)]
BrokerUrl = Annotated[str, AfterValidator(_broker_url_from_here)]  # what this machine connects to
RemoteBrokerUrl = Annotated[str, AfterValidator(_broker_url)]  # another machine's, e.g. a device's


class ConfigError(DepotClockError):
    """A setting is missing or wrong; the message says which, and where it came from."""


class RoleSettings(BaseSettings):
    """Base for a role's settings: environment variables outrank the TOML file."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter=NESTED, extra="forbid", frozen=True
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return env_settings, init_settings


S = TypeVar("S", bound=RoleSettings)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def _origin(loc: tuple[Any, ...], path: Path | None) -> str:
    env_name = ENV_PREFIX + NESTED.join(str(p) for p in loc).upper()
    if env_name in os.environ:
        return f"environment variable {env_name}"
    return f"config file {path}" if path else f"environment variable {env_name} (no config file)"


def load_settings(cls: type[S], path: Path | None) -> S:
    """Settings of role `cls` from `path` (optional) and the environment."""
    values = _read_toml(path) if path else {}
    try:
        return cls(**values)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            name = ".".join(str(p) for p in error["loc"])
            problems.append(f"setting '{name}' ({_origin(error['loc'], path)}): {error['msg']}")
        raise ConfigError("; ".join(problems)) from None
