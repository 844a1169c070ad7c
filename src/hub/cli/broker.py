"""`depotclock hub provision ...` and `depotclock hub broker-config`: the broker's accounts
and the mosquitto files that let exactly those accounts in."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, get_args

import click

from depotclock.command import settings_from
from hub.settings import HubSettings

if TYPE_CHECKING:
    from hub.broker.mosquitto_files import Role

LOOPBACK = ("127.0.0.1", "::1", "localhost")

RELOAD_HINT = (
    "mosquitto re-reads passwd and acl on SIGHUP: `systemctl reload mosquitto` or "
    "`kill -HUP $(pidof mosquitto)` (a revoked device still connected is then disconnected)"
)


def _write_secret(path: Path, text: str) -> None:
    """Write a file only its owner can read: it holds a password."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an existing file keeps its mode otherwise
    with os.fdopen(descriptor, "w") as file:
        file.write(text)


@click.group()
def provision() -> None:
    """Broker accounts: make (or rotate) a device's password and its config; list; revoke.

    The hub keeps only mosquitto's hash of each password; the password is printed (or
    written with --out) once. Run `depotclock hub broker-config` afterwards and reload
    mosquitto for the change to take effect."""

def _provision(ctx: click.Context, username: str, role: Role, depot: str | None,
               broker_url: str | None, out: Path | None) -> None:
    from depotclock.mqtt_url import BrokerAddress
    from hub.broker.accounts import provision as make
    from hub.broker.accounts import unknown_device_note
    from hub.broker.device_configs import hub_config, kiosk_config, vehicle_config
    from hub.store.engine import make_engine, session_factory
    from hub.store.models import Depot

    hub_settings = settings_from(ctx, HubSettings)
    try:
        devices_reach = None if role == "hub" else hub_settings.device_broker_url
        broker = BrokerAddress.from_url(broker_url or devices_reach or hub_settings.mqtt_url)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--broker") from None
    now = datetime.now(timezone.utc)
    engine = make_engine(hub_settings.database_url)
    try:
        with session_factory(engine).begin() as session:
            account = make(session, username, role, now, depot)
            note = unknown_device_note(session, username, role)
            if role == "kiosk":
                zone = session.get_one(Depot, account.depot).timezone
                text = kiosk_config(account, broker, zone, now)
            elif role == "vehicle":
                text = vehicle_config(account, broker, now)
            else:
                text = hub_config(account, broker, now)
            if out is not None:  # before the commit: a file we cannot write keeps the old password
                _write_secret(out, text)
    except OSError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    if out is None:
        click.echo(text, nl=False)
    what = f"{role} account {account.username}" + (f" (depot {account.depot})" if account.depot else "")
    if account.reinstated:
        click.echo(f"reinstated the revoked {what} with a new password", err=True)
    elif account.rotated:
        click.echo(f"rotated the password of {what}: the old one stops working at the broker's "
                   "next reload", err=True)
    else:
        click.echo(f"created {what}", err=True)
    if account.registered:
        click.echo(f"registered kiosk {account.username} at depot {account.depot}: it shows on the board",
                   err=True)
    if out is not None:
        click.echo(f"wrote {out} (mode 0600): copy it to the device", err=True)
    if note:
        click.echo(note, err=True)
    if role != "hub" and broker.host in LOOPBACK:
        click.echo(f"note: the {role} will look for the broker at {broker.host}; give --broker (or "
                   "device_broker_url in the hub's settings) with the address devices reach", err=True)
    click.echo("next: `depotclock hub broker-config --out DIR`, then reload mosquitto", err=True)

broker_option = click.option(
    "--broker", "broker_url", metavar="URL",
    help="The broker as the device reaches it, e.g. mqtts://hub.example:8883, with "
    "?cafile=/etc/depotclock/ca.crt for a private CA (default: the hub's device_broker_url, "
    "else the address in its own mqtt_url; for `provision hub`, always the latter).")
out_option = click.option(
    "--out", type=click.Path(path_type=Path, dir_okay=False),
    help="Write the config file here (mode 0600) instead of printing it.")

@provision.command("kiosk")
@click.argument("kiosk_id")
@click.option("--depot", metavar="ID",
              help="The kiosk's depot, whose roster it reads (default: the kiosk's record).")
@broker_option
@out_option
@click.pass_context
def provision_kiosk(ctx: click.Context, kiosk_id: str, depot: str | None, broker_url: str | None,
                    out: Path | None) -> None:
    """Make the kiosk's broker password; print its kiosk.toml."""
    _provision(ctx, kiosk_id, "kiosk", depot, broker_url, out)

@provision.command("vehicle")
@click.argument("vehicle_id")
@broker_option
@out_option
@click.pass_context
def provision_vehicle(ctx: click.Context, vehicle_id: str, broker_url: str | None, out: Path | None) -> None:
    """Make the van unit's broker password; print its vehicle.toml."""
    _provision(ctx, vehicle_id, "vehicle", None, broker_url, out)

@provision.command("hub")
@click.argument("username", default="hub")
@broker_option
@out_option
@click.pass_context
def provision_hub(ctx: click.Context, username: str, broker_url: str | None, out: Path | None) -> None:
    """Make the hub's own broker password (it reads and writes the whole tree); print its mqtt_url."""
    _provision(ctx, username, "hub", None, broker_url, out)

@provision.command("revoke")
@click.argument("username")
@click.pass_context
def revoke(ctx: click.Context, username: str) -> None:
    """Refuse a device (or hub account) at the broker, from its next reload on."""
    from hub.broker.accounts import revoke as take_back
    from hub.store.engine import make_engine, session_factory

    engine = make_engine(settings_from(ctx, HubSettings).database_url)
    try:
        with session_factory(engine).begin() as session:
            account = take_back(session, username, datetime.now(timezone.utc))
            role = account.role
    finally:
        engine.dispose()
    click.echo(f"revoked {role} account {username}")
    click.echo("next: `depotclock hub broker-config --out DIR`, then reload mosquitto", err=True)

@provision.command("list")
@click.pass_context
def list_accounts(ctx: click.Context) -> None:
    """List the broker accounts: role, depot, when the password was made, revoked or not."""
    from hub.broker.accounts import all_accounts
    from hub.store.engine import make_engine, session_factory

    engine = make_engine(settings_from(ctx, HubSettings).database_url)
    try:
        with session_factory(engine)() as session:
            for a in all_accounts(session):
                state = f"revoked {a.revoked_at:%Y-%m-%d %H:%M}" if a.revoked_at else "active"
                click.echo(f"{a.username:<24}{a.role:<9}{a.depot or '-':<16}"
                           f"password of {a.rotated_at:%Y-%m-%d %H:%M} UTC  {state}")
    finally:
        engine.dispose()

@click.command("broker-config")
@click.option("--out", "directory", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Directory for mosquitto.conf, passwd, acl and the broker's data.")
@click.option("--port", type=click.IntRange(1, 65535),
              help="The devices' listener (default 8883 with TLS, else 1883).")
@click.option("--bind", default="0.0.0.0", show_default=True, help="Address the listener binds.")
@click.option("--local-port", type=click.IntRange(1, 65535),
              help="Also a plaintext listener on 127.0.0.1 (a hub on the broker's machine).")
@click.option("--cafile", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="CA certificate (PEM) that signed --certfile; with --certfile and --keyfile: TLS only.")
@click.option("--certfile", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="The broker's certificate (PEM).")
@click.option("--keyfile", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="The broker certificate's private key (PEM).")
@click.option("--data", type=click.Path(path_type=Path, file_okay=False),
              help="Where mosquitto keeps sessions and retained messages (default: DIR/data), "
              "e.g. /var/lib/mosquitto.")
@click.option("--run-as", default="mosquitto", show_default=True,
              help="The user mosquitto drops to; it must read these files.")
@click.pass_context
def broker_config(ctx: click.Context, directory: Path, port: int | None, bind: str, local_port: int | None,
                  cafile: Path | None, certfile: Path | None, keyfile: Path | None, data: Path | None,
                  run_as: str) -> None:
    """Write the mosquitto config for the hub's broker accounts: password file, ACL, no anonymous access."""
    from hub.broker.accounts import active_accounts
    from hub.broker.mosquitto_files import Role, TlsFiles, write_broker_files
    from hub.store.engine import make_engine, session_factory

    given = [f for f in (cafile, certfile, keyfile) if f is not None]
    if given and len(given) != 3:
        raise click.UsageError("TLS needs all three of --cafile, --certfile and --keyfile")
    tls = TlsFiles(cafile, certfile, keyfile) if cafile and certfile and keyfile else None  # all or none, above
    port = port or (8883 if tls else 1883)
    directory = directory.resolve()
    engine = make_engine(settings_from(ctx, HubSettings).database_url)
    try:
        with session_factory(engine)() as session:
            accounts = active_accounts(session)
            conf = write_broker_files(directory, port, accounts, run_as, bind=bind, tls=tls,
                                      local_port=local_port, data=data and data.resolve())
    finally:
        engine.dispose()
    roles = {role: sum(a.role == role for a in accounts) for role in get_args(Role)}
    click.echo(f"wrote {conf}, {directory / 'passwd'} and {directory / 'acl'}: "
               + ", ".join(f"{n} {role}" for role, n in roles.items()) + " account(s)")
    listeners = [f"{'TLS' if tls else 'plaintext'} on {bind}:{port}"]
    if local_port:
        listeners.append(f"plaintext on 127.0.0.1:{local_port}")
    click.echo("listeners: " + "; ".join(listeners))
    if roles["hub"] == 0:
        click.echo("warning: no hub account; the hub cannot log in (`depotclock hub provision hub`)",
                   err=True)
    if tls is None and bind not in LOOPBACK:
        click.echo("warning: without TLS, passwords cross the network in clear "
                   "(give --cafile, --certfile and --keyfile)", err=True)
    click.echo(f"start:  mosquitto -c {conf}")
    click.echo(f"reload: {RELOAD_HINT}")
