"""Every command explains itself with --help."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from depotclock.cli import main


def _all_commands(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()):
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield path + (name,), command
        if isinstance(command, click.Group):
            yield from _all_commands(command, ctx, path + (name,))


COMMANDS = list(_all_commands(main, click.Context(main)))


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help(path, command):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert command.help, f"depotclock {' '.join(path)} has no help text"
    assert "Usage:" in result.output
