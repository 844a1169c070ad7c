"""What every `depotclock` command group shares: DepotClock's errors as clean messages and
exit status 1, and the one `--config` option with its loading."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import click

from depotclock.config import RoleSettings, load_settings
from depotclock.errors import DepotClockError

S = TypeVar("S", bound=RoleSettings)


class Group(click.Group):
    """A command group that turns a `DepotClockError` from any command under it into
    click's message and exit status, instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DepotClockError as exc:
            raise click.ClickException(str(exc)) from None


def config_option(default: str, what: str):
    """`--config FILE`: a role's settings file, `default` when that file exists."""
    return click.option(
        "--config", type=click.Path(path_type=Path, dir_okay=False),
        default=lambda: Path(default) if Path(default).exists() else None,
        help=f"{what} settings file (TOML; default {default} when present); DEPOTCLOCK_* environment "
        "variables override it.",
    )


def settings_from(ctx: click.Context, kind: type[S]) -> S:
    """The settings of `kind` from the `--config` its group was given (kept in `ctx.obj`)."""
    group_obj = ctx.find_object(dict) or {}  # no group's object: no --config, the environment only
    return load_settings(kind, group_obj.get("config"))
