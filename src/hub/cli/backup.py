"""`depotclock hub backup` and `depotclock hub restore`: the SQLite database's backups."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click

from depotclock.command import settings_from
from hub.settings import HubSettings


@click.command()
@click.option("--to", "target", required=True, type=click.Path(path_type=Path),
              help="A new file, or a directory to write hub-<UTC time>.db in.")
@click.pass_context
def backup(ctx: click.Context, target: Path) -> None:
    """Copy the SQLite database while the hub runs, and check the copy.

    On PostgreSQL, use pg_dump or pg_basebackup (README, section Backups)."""
    from hub.store.backup import backup_sqlite

    copy = backup_sqlite(settings_from(ctx, HubSettings).database_url, target, datetime.now(timezone.utc))
    click.echo(f"backup {copy.path}: {copy.size} bytes, revision {copy.revision}, integrity ok")


@click.command()
@click.option("--from", "source", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="A backup made by `depotclock hub backup`.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def restore(ctx: click.Context, source: Path, yes: bool) -> None:
    """Replace the SQLite database by a backup; the replaced one is kept beside it.

    Stop the hub's processes (ingest, web) first."""
    from hub.store.backup import restore_sqlite, sqlite_file

    url = settings_from(ctx, HubSettings).database_url
    database = sqlite_file(url)
    if not yes:
        click.confirm(f"Stop every hub process (ingest, web) first. Replace {database} with {source}?", abort=True)
    restored = restore_sqlite(source, url, datetime.now(timezone.utc))
    click.echo(f"restored {restored.database} at revision {restored.revision} from {source}")
    if restored.previous is not None:
        click.echo(f"the database it replaced is kept as {restored.previous}")
    if restored.needs_upgrade:
        click.echo("the backup is older than this DepotClock: run `depotclock hub upgrade`")
    click.echo("start the hub's processes again")
