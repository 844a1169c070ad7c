"""Typed settings from a TOML file with DEPOTCLOCK_* environment overrides.

Each role (hub, kiosk, vehicle) declares a `RoleSettings` subclass; `load_settings` reads
it at the edge (the environment read here, not by pydantic-settings: a device would pay
some 10 MB and 0.1 s of start-up for it) and a wrong or missing setting stops start-up with a `ConfigError` that
names the setting and where it came from.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

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


class RoleSettings(BaseModel):
    """Base for a role's settings, loaded by `load_settings`."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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


def _decoded(raw: str) -> Any:
    """An environment value: JSON when it is a list or a table (reader_retry_s='[1, 30]'),
    else the text, which the setting's type parses."""
    if raw.lstrip().startswith(("[", "{")):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            pass
    return raw


def _environment(cls: type[RoleSettings]) -> dict[str, Any]:
    """DEPOTCLOCK_NAME (or DEPOTCLOCK_TABLE__NAME) of each setting `cls` has, as TOML would nest them.
    Variables naming no setting of this role are another role's and left alone."""
    values: dict[str, Any] = {}
    for name, raw in os.environ.items():
        if not name.upper().startswith(ENV_PREFIX):
            continue
        *tables, key = name[len(ENV_PREFIX):].lower().split(NESTED)
        if (tables[0] if tables else key) not in cls.model_fields:
            continue
        target = values
        for table in tables:
            target = target.setdefault(table, {})
        target[key] = _decoded(raw)
    return values


def _overlaid(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`base` with `over`'s values in place of its own, table by table."""
    merged = dict(base)
    for key, value in over.items():
        both_tables = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = _overlaid(merged[key], value) if both_tables else value
    return merged


def load_settings(cls: type[S], path: Path | None) -> S:
    """Settings of role `cls` from `path` (optional) and the environment, which outranks it."""
    values = _overlaid(_read_toml(path) if path else {}, _environment(cls))
    try:
        return cls(**values)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            name = ".".join(str(p) for p in error["loc"])
            problems.append(f"setting '{name}' ({_origin(error['loc'], path)}): {error['msg']}")
        raise ConfigError("; ".join(problems)) from None
