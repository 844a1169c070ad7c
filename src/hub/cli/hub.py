"""`depotclock hub ...`: the hub's commands. Settings load here, at the edge."""

from __future__ import annotations

from pathlib import Path

import click

from depotclock.command import Group, config_option, settings_from
from hub.cli.backup import backup, restore
from hub.cli.broker import broker_config, provision
from hub.settings import DEFAULT_CONFIG, HubSettings


def _settings(ctx: click.Context) -> HubSettings:
    return settings_from(ctx, HubSettings)


@click.group(cls=Group)
@config_option(DEFAULT_CONFIG, "Hub")
@click.pass_context
def hub(ctx: click.Context, config: Path | None) -> None:
    """Run and administer the hub."""
    ctx.obj = {"config": config}


@hub.command("init-db")
@click.pass_context
def init_db(ctx: click.Context) -> None:
    """Create the hub's tables in an empty database."""
    from hub.store.migrate import current_revision, upgrade

    url = _settings(ctx).database_url
    revision = current_revision(url)
    if revision is not None:
        raise click.ClickException(
            f"the database already has tables (revision {revision}); use `depotclock hub upgrade`"
        )
    upgrade(url)
    click.echo(f"created the hub database at revision {current_revision(url)}")


@hub.command()
@click.pass_context
def upgrade(ctx: click.Context) -> None:
    """Migrate the hub's database to this version of DepotClock."""
    from hub.store.migrate import current_revision
    from hub.store.migrate import upgrade as run_upgrade

    url = _settings(ctx).database_url
    before = current_revision(url)
    run_upgrade(url)
    after = current_revision(url)
    click.echo(f"database at revision {after}" + ("" if before == after else f" (was {before})"))


@hub.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """Show the database revision, what it holds, and whether the broker accepts the hub."""
    from hub.services.status import broker_reachable, store_summary

    settings = _settings(ctx)
    revision, counts = store_summary(settings.database_url)
    click.echo(f"database  {settings.database_url} at revision {revision or '(empty: run init-db)'}")
    for table, count in counts.items():
        click.echo(f"  {table:<22}{count:>10}")
    problem = broker_reachable(settings.mqtt_url)
    click.echo(f"broker    {'reachable, hub login accepted' if problem is None else problem}")
    if problem is not None:
        ctx.exit(1)


@hub.command()
@click.option("--shared", "shared_group", metavar="GROUP",
              help="Share the subscription ($share/GROUP/...) with other ingest processes.")
@click.option("--client-id", help="MQTT client id and broker login, with the hub's password: HUB-ingest "
              "(the default; HUB is mqtt_url's username), or HUB-ingest-N, one for each ingest process.")
@click.option("--metrics-port", type=click.IntRange(0, 65535), metavar="PORT",
              help="Serve Prometheus metrics on this port ([monitoring] ingest_metrics_port; 0: none).")
@click.option("--retire", is_flag=True,
              help="Scale down: take over --client-id's session, store what it still holds, "
              "end the session and exit (docs/scaling.md).")
@click.pass_context
def ingest(ctx: click.Context, shared_group: str | None, client_id: str | None, metrics_port: int | None,
           retire: bool) -> None:
    """Store what kiosks and vans send: each message once, bad ones as dead letters."""
    import logging
    import signal

    from depotclock.mqtt_url import BrokerAddress
    from depotclock.systemd_notify import SystemdNotifier
    from hub.broker.mosquitto_files import ingest_logins
    from hub.ingest.consumer import IngestConsumer
    from hub.ingest.store_batch import IntakePolicy
    from hub.store.engine import make_engine

    settings = _settings(ctx)
    address = BrokerAddress.from_url(settings.mqtt_url)
    if address.username and client_id and client_id not in ingest_logins(address.username):
        raise click.BadParameter(f"the broker takes it as the login, so it is {address.username}-ingest or "
                                 f"{address.username}-ingest-N (N up to {len(ingest_logins('')) - 1})",
                                 param_hint="--client-id")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    consumer = IngestConsumer(
        address, make_engine(settings.database_url),
        client_id=client_id, shared_group=shared_group,
        policy=IntakePolicy(settings.drive_legs.policy(), settings.payroll.approval_levels,
                            settings.payroll.auto_clock_out_after_h, settings.ingest.future_tolerance_s,
                            pin_needs_approval=settings.punching.pin_needs_approval),
        retire=retire,
        batch_size=settings.ingest.batch_size, store_processes=settings.ingest.store_processes,
    )
    notifier = SystemdNotifier.from_environment()
    monitoring = settings.monitoring
    port = monitoring.ingest_metrics_port if metrics_port is None else metrics_port
    if port:
        from hub.ingest.metrics import serve_metrics

        serve_metrics(consumer, monitoring.ingest_metrics_host, port)

    def stop(*_) -> None:
        notifier.stopping()
        consumer.stop()

    def status() -> str:
        t = consumer.totals
        broker = "connected" if consumer.client.is_connected() else "broker unreachable"
        waiting = f"{consumer.unavailable}; storing paused, retrying; " if consumer.unavailable else ""
        return f"{waiting}{broker}; stored {t.stored}, duplicates {t.duplicates}, dead letters {t.dead_letters}"

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # Ready once the broker granted the subscriptions: from then on nothing sent is missed.
    consumer.run(heartbeat=lambda: notifier.beat(consumer.subscribed.is_set(), status))


@hub.command("export")
@click.option("--period", "day", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Any day of the pay period to export.")
@click.option("--format", "format_name", type=click.Choice(["generic", "adp", "paychex", "iif", "gusto"]),
              help="The payroll system's import format (docs/export.md).")
@click.option("--preview", is_flag=True,
              help="With --format generic only: every technician, approved or not, PREVIEW in the file "
                   "names and on every row (payroll systems' formats are written only when final).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Directory for the file(s) (default: [export] directory in the settings).")
@click.option("--by", metavar="USERNAME", help="The hub user making the export, for its record.")
@click.option("--again", "again", type=int, metavar="EXPORT_ID",
              help="Write an earlier export's files again, byte for byte, instead.")
@click.option("--empty-ok", is_flag=True,
              help="Record the export even when no technician goes in (refused otherwise, naming who was left out).")
@click.pass_context
def export(ctx: click.Context, day, format_name: str | None, preview: bool, out_dir: Path | None,
           by: str | None, again: int | None, empty_ok: bool) -> None:
    """Write a pay period's approved timesheets as a payroll import file, and record it."""
    import sys

    from hub.export.archive import download
    from hub.services.period_export import export_period, technicians_to_export
    from hub.store.engine import make_engine, session_factory

    settings = _settings(ctx)
    engine = make_engine(settings.database_url)
    try:
        with session_factory(engine)() as session:
            if again is not None:
                for path in download(session, again, out_dir or settings.export.directory):
                    click.echo(f"{path}")
                return
            if day is None or format_name is None:
                raise click.UsageError("give --period and --format (or --again EXPORT_ID)")
            with click.progressbar(length=technicians_to_export(session), label="technicians",
                                   file=sys.stderr) as bar:
                result = export_period(session, settings, day.date(), format_name, preview=preview,
                                       out_dir=out_dir, by=by, progress=bar.update, empty_ok=empty_ok)
    finally:
        engine.dispose()
    _report_export(result)


def _report_export(result) -> None:
    kind = "PREVIEW export" if result.preview else "export"
    click.echo(f"{kind} {result.export_id}: {result.format}, pay period {result.period}")
    for file in result.files:
        click.echo(f"  {file.path}  sha256 {file.sha256}  {file.size} bytes")
    click.echo(f"technicians in the file: {result.exported}; left out: {len(result.left_out)}")
    for left in result.left_out:
        click.echo(f"  left out {left.technician_id} {left.name}: {left.reason}")
    for note in result.notes:
        click.echo(f"note: {note}")
    changes = result.changes
    if changes is None:
        click.echo("first export of this period")
        return
    previous = f"export {changes.previous_id} ({changes.previous_format}" + (
        ", preview" if changes.previous_preview else "") + f", {changes.previous_at})"
    if not changes.changes:
        click.echo(f"no change since {previous}")
        return
    click.echo(f"changed since {previous}:")
    for change in changes.changes:
        status = "" if change.before_status == change.after_status else (
            f" [{change.before_status or 'absent'} -> {change.after_status or 'absent'}]")
        hours = ", ".join(f"{c.code.value} {c.before} -> {c.after}" for c in change.codes)
        click.echo(f"  {change.technician_id} {change.name}{status}" + (f": {hours}" if hours else ""))


@hub.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=0, type=int,
              help="Run gunicorn with this many worker processes (default: one threaded process).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve the web app and the JSON API (/api/v1)."""
    import secrets

    from pydantic import SecretStr

    from hub.web import create_app

    settings = _settings(ctx)
    if settings.web_secret is None:  # one key for every worker, until the next start
        settings = settings.model_copy(update={"web_secret": SecretStr(secrets.token_hex(32))})
    if workers:
        from hub.web.server import run_gunicorn

        run_gunicorn(settings, host, port, workers)
        return
    app = create_app(settings)
    click.echo(f"DepotClock hub web on http://{host}:{port}/")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


@hub.command()
@click.pass_context
def notify(ctx: click.Context) -> None:
    """Queue the reminders and notices due now and send them by email ([smtp] in the
    settings), retrying failed ones; systemd's depotclock-hub-notify.timer runs it each minute."""
    from datetime import datetime, timezone

    from hub.mail.smtp import SmtpMailer
    from hub.services.notices import run
    from hub.store.engine import make_engine, session_factory

    settings = _settings(ctx)
    mailer = SmtpMailer(settings.smtp) if settings.smtp.host else None
    engine = make_engine(settings.database_url)
    try:
        with session_factory(engine)() as session:
            totals = run(session, settings, mailer, datetime.now(timezone.utc))
    finally:
        engine.dispose()
    click.echo(f"queued {totals.queued}, sent {totals.sent}, retrying {totals.retrying}, failed {totals.failed}; "
               f"waiting {totals.waiting}" + ("" if mailer else " (no smtp.host set: nothing is sent)"))


@hub.command("create-user")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["technician", "supervisor", "payroll", "admin"]))
@click.option("--technician", "technician_id", metavar="T-100", help="The technician this user is.")
@click.option("--depot", "depots", multiple=True, metavar="ID", help="A depot the user sees (repeat for more).")
@click.password_option(help="The password (prompted for when not given; at least 10 characters).")
@click.pass_context
def create_user(ctx: click.Context, username: str, role: str, technician_id: str | None,
                depots: tuple[str, ...], password: str) -> None:
    """Create a user of the web app."""
    from datetime import datetime, timezone

    from hub.services.accounts import create_user as create
    from hub.store.engine import make_engine, session_factory

    engine = make_engine(_settings(ctx).database_url)
    try:
        with session_factory(engine).begin() as session:
            create(session, username, password, role, datetime.now(timezone.utc), technician_id, depots)
    finally:
        engine.dispose()
    click.echo(f"created {role} {username}" + (f" for depots {', '.join(depots)}" if depots else ""))


@hub.command("create-token")
@click.argument("username")
@click.option("--name", default="api", show_default=True, help="What the token is for (e.g. the PSA's name).")
@click.pass_context
def create_token(ctx: click.Context, username: str, name: str) -> None:
    """Issue an API token acting as USERNAME; it is printed once, only its hash is kept."""
    from datetime import datetime, timezone

    from sqlalchemy import select

    from hub.services.accounts import create_token as issue
    from hub.store.engine import make_engine, session_factory
    from hub.store.models import User

    engine = make_engine(_settings(ctx).database_url)
    try:
        with session_factory(engine).begin() as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise click.ClickException(f"no user {username}")
            _, token = issue(session, user, name, datetime.now(timezone.utc))
    finally:
        engine.dispose()
    click.echo(token)



for command in (backup, restore, provision, broker_config):
    hub.add_command(command)
