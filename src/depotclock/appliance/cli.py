"""`depotclock install kiosk|vehicle|hub --config FILE`: this machine becomes that role, in
one command that can be run again (it then changes nothing, or upgrades the package)."""

from __future__ import annotations

import importlib
import re
import tomllib
from importlib import metadata
from pathlib import Path

import click

from depotclock.appliance.plan import (
    InstallRefused,
    RoleOptions,
    Source,
    paths_to_probe,
    plan_install,
    plan_uninstall,
)
from depotclock.appliance.probe import probe
from depotclock.appliance.roles import Role
from depotclock.appliance.steps import Machine, execute
from depotclock.config import load_settings

SETTINGS = {Role.KIOSK: "kiosk.settings:KioskSettings", Role.VEHICLE: "firmware.settings:VehicleSettings",
            Role.HUB: "hub.settings:HubSettings"}
CHECKOUT = Path(__file__).parents[3]  # where this runs from a checkout (src/depotclock/appliance)
WHEEL_NAME = re.compile(r"depotclock-(?P<version>[^-]+)-.*\.whl$")


def source_of(given: str | None) -> Source:
    """What to install from: `given` (a checkout, a wheel's path or URL), else the checkout
    this runs from, else the version already running."""
    if given is None:
        if (CHECKOUT / "pyproject.toml").exists():
            given = str(CHECKOUT)
        else:
            version = metadata.version("depotclock")
            return Source(f"depotclock=={version}", version)
    if wheel := WHEEL_NAME.search(given):
        return Source(given, wheel["version"])
    pyproject = Path(given) / "pyproject.toml"
    if not pyproject.is_file():
        raise InstallRefused(f"--source {given}: neither a depotclock wheel (depotclock-VERSION-...whl) nor a checkout")
    return Source(str(Path(given).resolve()), tomllib.loads(pyproject.read_text())["project"]["version"])


def role_options(role: Role, config: Path) -> RoleOptions:
    """The config validated as the role will load it, and what in it changes the install."""
    module, name = SETTINGS[role].split(":")
    settings = load_settings(getattr(importlib.import_module(module), name), config)
    if role is Role.KIOSK:
        return RoleOptions(screen=settings.screen, reader=settings.reader.family, screen_port=settings.screen_port)
    if role is Role.VEHICLE:
        return RoleOptions(reader=settings.reader.family if settings.reader else None)
    return RoleOptions()


@click.command()
@click.argument("role", type=click.Choice([r.value for r in Role]))
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="The role's settings file (TOML), installed as /etc/depotclock/ROLE.toml. Needed to install.")
@click.option("--source", help="Install depotclock from this checkout, wheel or wheel URL (an upgrade: a newer version). "
              "Default: the checkout the installer runs from.")
@click.option("--uninstall", is_flag=True, help="Remove the role's services, user and venv; keep its config and journal.")
@click.option("--purge", is_flag=True, help="With --uninstall: remove the config and the journal too.")
@click.option("--dry-run", is_flag=True, help="Only say what would be done.")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False, exists=True), default=Path("/"),
              hidden=True, help="Install into this tree instead of the running system (tests).")
def install(role: str, config: Path | None, source: str | None, uninstall: bool, purge: bool, dry_run: bool,
            root: Path) -> None:
    """Install ROLE on this machine: Debian packages, its system user and groups, the venv,
    the config (root:ROLE, 0640), its systemd units, enabled and started. Run it again to
    upgrade; --uninstall to remove it."""
    # A refusal, a config that does not validate or a step that fails: the `depotclock`
    # group prints the message (DepotClockError) and exits 1.
    the_role = Role(role)
    if uninstall:
        steps = plan_uninstall(the_role, probe(root, paths_to_probe(the_role)), purge)
    else:
        if config is None:
            raise click.UsageError("--config FILE is needed to install")
        options = role_options(the_role, config)
        state = probe(root, paths_to_probe(the_role))
        steps = plan_install(the_role, config.read_bytes(), options, source_of(source), state)
    if not steps:
        click.echo(f"{role}: nothing to do, it is installed and up to date")
        return
    if dry_run:
        click.echo("\n".join(f"- {step}" for step in steps))
        return
    execute(steps, Machine(root), say=click.echo)
    click.echo(f"{role}: {'removed' if uninstall else 'installed'}")

