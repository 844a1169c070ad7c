"""The `depotclock` command. Role groups load on first use, so a kiosk never imports Flask."""

from __future__ import annotations

import importlib

import click

from depotclock.command import Group

# command name -> "module:attribute" of a click command, and a one-line help
COMMANDS = {
    "hub": ("hub.cli.hub:hub", "Run and administer the hub: database, broker configuration."),
    "kiosk": ("kiosk.cli:kiosk", "Run the depot kiosk: badge taps to punches."),
    "vehicle": ("firmware.cli:vehicle", "Run the vehicle unit: ignition and GPS to the hub."),
    "timesheet": ("hub.cli.timesheet:timesheet", "Replay events through the pay rules."),
    "install": ("depotclock.appliance.cli:install", "Install a kiosk, a van unit or a hub on this machine as services."),
    "demo": ("depotclock.demo:demo", "Bring up a demo depot on this machine."),
}


class LazyGroup(Group):
    """A group whose subcommands are imported only when they are run or listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name][0].split(":")
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in sorted(COMMANDS)])


@click.group(cls=LazyGroup)
@click.version_option(package_name="depotclock")
def main() -> None:
    """DepotClock: badge kiosks, van telemetry and a hub that turns both into timesheets."""


if __name__ == "__main__":
    main()
