"""`depotclock demo`: a demo depot on this machine, on the embedded defaults.

Starts its own mosquitto (generated config, free port, no anonymous access), creates the
hub's SQLite database, loads a small demo company, starts the hub's ingest, a van
driving a recorded day and a kiosk where the demo badges everyone in, prints where to
look, and stops everything it started on Ctrl-C.
"""

from __future__ import annotations

import getpass
import secrets
import shutil
import signal
import subprocess
import sys
import threading
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from depotclock.demo_company import (
    DEMO_DEPOT,
    DEMO_KIOSKS,
    DEMO_USERS,
    DEMO_VEHICLES,
    history_start,
    seed_demo_company,
    seed_demo_day,
    seed_demo_users,
    seed_demo_visits,
)
from depotclock.demo_kiosk import DEMO_KIOSK, badge_in_everyone, start_demo_kiosk
from depotclock.mosquitto import MosquittoProcess, free_port
from depotclock.readiness import NotifySocket, wait_until_serving
from hub.broker.mosquitto_files import BrokerAccount, write_broker_files
from hub.store.migrate import upgrade


@dataclass(frozen=True)
class DemoDepot:
    """What a running demo depot consists of, for printing and for later processes."""

    state_dir: Path
    broker_port: int
    accounts: dict[str, BrokerAccount]
    database_url: str
    web_url: str = ""
    logins: dict[str, str] | None = None  # web username -> password

    def broker_url(self, username: str) -> str:
        account = self.accounts[username]
        return f"mqtt://{account.username}:{account.password}@127.0.0.1:{self.broker_port}"

    def hub_config(self) -> Path:
        path = self.state_dir / "hub.toml"
        path.write_text(
            f'database_url = "{self.database_url}"\n'
            f'mqtt_url = "{self.broker_url("hub")}"\n'
            f'timezone = "{DEMO_DEPOT["timezone"]}"\n'
            # the demo's van plays its recorded day on today's date at 60x, so its fixes may
            # be hours ahead of the clock: a hub of real vans keeps the default (10 minutes)
            "\n[ingest]\nfuture_tolerance_s = 86400\n"
        )
        return path


def _accounts() -> list[BrokerAccount]:
    accounts = [BrokerAccount("hub", secrets.token_urlsafe(16), "hub")]
    accounts += [
        BrokerAccount(kiosk, secrets.token_urlsafe(16), "kiosk", depot=DEMO_DEPOT["id"])
        for kiosk in DEMO_KIOSKS
    ]
    accounts += [BrokerAccount(van, secrets.token_urlsafe(16), "vehicle") for van in DEMO_VEHICLES]
    return accounts


def _start_process(stack: ExitStack, command: list[str], log: Path,
                   env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A child process of the demo, stopped (SIGTERM, then SIGKILL) when the demo ends."""
    with log.open("ab") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)

    def stop() -> None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()

    stack.callback(stop)
    return process


def start_demo_depot(stack: ExitStack, state_dir: Path, port: int | None) -> DemoDepot:
    """Start the broker, prepare the database and start the hub's ingest; `stack` stops
    what was started."""
    if state_dir.exists():
        shutil.rmtree(state_dir)
    state_dir.mkdir(parents=True)
    port = port or free_port()
    accounts = _accounts()
    conf = write_broker_files(state_dir / "broker", port, accounts, run_as=getpass.getuser())
    stack.enter_context(MosquittoProcess(conf, port))
    database_url = f"sqlite:///{(state_dir / 'hub.db').resolve()}"
    upgrade(database_url)
    now = datetime.now(timezone.utc)
    seed_demo_company(database_url, now=now)
    logins = seed_demo_users(database_url, now)
    seed_demo_day(database_url, history_start(now).date(), now)
    depot = DemoDepot(state_dir, port, {a.username: a for a in accounts}, database_url, logins=logins)
    depotclock = str(Path(sys.executable).with_name("depotclock"))
    notify = NotifySocket()  # READY=1 once the broker granted ingest's subscriptions
    try:
        ingest = _start_process(stack, [depotclock, "hub", "--config", str(depot.hub_config()), "ingest"],
                                state_dir / "hub-ingest.log", env=notify.environment())
        notify.wait_ready(ingest, "the hub's ingest (log: hub-ingest.log)")
    finally:
        notify.close()
    return depot


def start_demo_web(stack: ExitStack, depot: DemoDepot) -> DemoDepot:
    """Start the hub's web app on a free port; returns the depot with its address."""
    from dataclasses import replace

    port = free_port()
    depotclock = str(Path(sys.executable).with_name("depotclock"))
    log = depot.state_dir / "hub-web.log"
    web = _start_process(
        stack, [depotclock, "hub", "--config", str(depot.hub_config()), "serve", "--port", str(port)], log)
    wait_until_serving(f"http://127.0.0.1:{port}/readyz", web, f"the hub's web server (log: {log})")
    seed_demo_visits(depot.database_url, datetime.now(timezone.utc) + timedelta(seconds=30))
    return replace(depot, web_url=f"http://127.0.0.1:{port}")


DEMO_VAN = "van-12"
DEMO_VAN_SPEED = 60.0  # route seconds per real second: the recorded day in about six minutes


def start_demo_van(stack: ExitStack, depot: DemoDepot, speed: float = DEMO_VAN_SPEED) -> Path:
    """Start van-12 driving its recorded day (depot, WO-7, WO-8, back) through the real
    vehicle unit, with a simulated cab reader; `stack` stops it. Returns its log."""
    van_dir = depot.state_dir / DEMO_VAN
    van_dir.mkdir()
    config = van_dir / "vehicle.toml"
    config.write_text(
        f'vehicle_id = "{DEMO_VAN}"\n'
        f'mqtt_url = "{depot.broker_url(DEMO_VAN)}"\n'
        f'journal_path = "{(van_dir / "journal.db").resolve()}"\n'
        "\n[reader]\n"
        'family = "simulated"\n'
        f'simulated_feed = "{(van_dir / "cab-taps").resolve()}"\n'
    )
    depotclock = str(Path(sys.executable).with_name("depotclock"))
    log = van_dir / "van.log"
    _start_process(
        stack,
        [depotclock, "vehicle", "simulate", "--config", str(config), "--speed", f"{speed:g}"],
        log,
    )
    return log


def describe(depot: DemoDepot) -> str:
    hub_config = depot.state_dir / "hub.toml"
    return "\n".join(
        [
            "DepotClock demo depot is up.",
            f"  broker     mqtt://127.0.0.1:{depot.broker_port} (no anonymous access;"
            f" accounts in {depot.state_dir / 'broker' / 'passwd'} are hashed)",
            f"  hub login  {depot.broker_url('hub')}",
            f"  database   {depot.database_url}",
            f"  hub config {hub_config}",
            f"  hub ingest running; its log: {depot.state_dir / 'hub-ingest.log'}",
            *([f"  web        {depot.web_url}/board  (log in as sam, password {depot.logins['sam']})",
               f"  phone      {depot.web_url}/me/  (log in as rosa, password {depot.logins['rosa']}, in a"
               " phone-sized window: she is off the clock, and clocks in there)",
               "  web users  " + ", ".join(f"{name} ({DEMO_USERS[name][0]}) {password}"
                                           for name, password in depot.logins.items()),
               f"  yesterday  {depot.web_url}/timeline?day="
               f"{(datetime.now(ZoneInfo(DEMO_DEPOT['timezone'])).date() - timedelta(days=1)).isoformat()}",
               f"  API        {depot.web_url}/api/v1/openapi.json"]
              if depot.web_url and depot.logins else []),
            f"  company    depot {DEMO_DEPOT['id']!r} ({DEMO_DEPOT['timezone']}), kiosks"
            f" {', '.join(DEMO_KIOSKS)}, vans {', '.join(DEMO_VEHICLES)}",
            "Next:",
            f"  sqlite3 {depot.state_dir / 'hub.db'} 'select id, name from technicians'",
            f"  .venv/bin/depotclock hub --config {hub_config} status",
            "Ctrl-C stops everything the demo started.",
        ]
    )


@click.command()
@click.option(
    "--state-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("demo-depot"),
    show_default=True,
    help="Where the demo keeps its broker files and database; wiped at start.",
)
@click.option("--port", type=int, help="Broker port (default: a free one).")
def demo(state_dir: Path, port: int | None) -> None:
    """Bring up a demo depot (broker, hub database, demo company) until Ctrl-C."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with ExitStack() as stack:
        depot = start_demo_web(stack, start_demo_depot(stack, state_dir, port))
        van_log = start_demo_van(stack, depot)
        screen, feed = start_demo_kiosk(stack, depot.state_dir, depot.broker_url(DEMO_KIOSK), _start_process)
        stop_taps = threading.Event()
        stack.callback(stop_taps.set)
        badge_in_everyone(feed, stop_taps)
        click.echo(describe(depot))
        click.echo(f"{DEMO_VAN} is driving its recorded day at {DEMO_VAN_SPEED:g}x; its log: {van_log}")
        click.echo(f"{DEMO_KIOSK}'s screen: {screen} (the demo badges everyone in; to tap a badge"
                   f" yourself: echo DEADBEEF > {feed})")
        try:
            signal.pause()
        except KeyboardInterrupt:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut cleanup short
            click.echo("Stopping the demo depot.")
