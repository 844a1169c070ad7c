"""A depot of real processes on one shared, test-driven wall clock, for whole-day tests.

mosquitto; the hub's ingest and web app; kiosks on simulated readers (one behind a link
the test can cut); a van unit reading a real gpsd that gpsfake feeds sentence by
sentence, its ignition on a mock pin. Everything but mosquitto and gpsd follows
`tests.fakes.shared_clock`; every process is stopped when the `ExitStack` closes.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from depotclock.demo_kiosk import tap
from depotclock.mosquitto import MosquittoProcess, free_port
from depotclock.wire.codec import parse_roster
from hub.broker.mosquitto_files import BrokerAccount, write_broker_files
from hub.store.engine import make_engine, session_factory
from tests.fakes.nmea import SATELLITES
from tests.fakes.shared_clock import SharedClock

DEPOTCLOCK = str(Path(sys.executable).with_name("depotclock"))
WAIT_S = 60.0


class DepotError(AssertionError):
    """A process of the depot did not do what the day needs; the message has its log."""


def wait_for(condition: Callable[[], object], what: str, timeout: float = WAIT_S, process: Process | None = None):
    """`condition()`'s first true value; a DepotError (with `process`'s log) when it
    stays false for `timeout` seconds or the process ends."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        ended = process is not None and not process.running()
        if ended or time.monotonic() > deadline:
            tail = f"\n--- {process.log}:\n{process.log.read_text()[-3000:]}" if process else ""
            raise DepotError(f"{'ended' if ended else 'timed out'} waiting for {what}{tail}")
        time.sleep(0.05)
    return result


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def running(self) -> bool:
        return self.popen.poll() is None

    def wait_for_line(self, text: str) -> None:
        wait_for(lambda: text in self.log.read_text(), f"{self.name}: {text!r}", process=self)


@dataclass
class Depot:
    """The processes and where they keep their state; `stack` stops them."""

    stack: ExitStack
    root: Path
    clock: SharedClock
    accounts: dict[str, BrokerAccount]
    database_url: str
    broker: MosquittoProcess | None = None

    # -- start-up --------------------------------------------------------------

    @classmethod
    def create(cls, stack: ExitStack, root: Path, clock: SharedClock, accounts: list[BrokerAccount]) -> Depot:
        database = root / "hub.db"
        depot = cls(stack, root, clock, {a.username: a for a in accounts}, f"sqlite:///{database}")
        port = free_port()
        conf = write_broker_files(root / "broker", port, accounts, run_as=getpass.getuser())
        depot.broker = MosquittoProcess(conf, port).start()
        stack.callback(depot.broker.kill)
        return depot

    def broker_url(self, username: str, port: int | None = None) -> str:
        account = self.accounts[username]
        return f"mqtt://{account.username}:{account.password}@127.0.0.1:{port or self.broker.port}"

    def start(self, name: str, *command: str) -> Process:
        """Start `command` on the shared clock; stopped with the depot."""
        log = self.root / f"{name}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=self.clock.environment(name))
        process = Process(name, popen, log)

        def stop() -> None:
            popen.terminate()
            try:
                popen.wait(10)
            except subprocess.TimeoutExpired:
                popen.kill()

        self.stack.callback(stop)
        return process

    def run_cli(self, name: str, *args: str) -> str:
        """A one-shot `depotclock` command on the shared clock; its standard output."""
        result = subprocess.run([DEPOTCLOCK, *args], capture_output=True, text=True, timeout=120,
                                env=self.clock.environment(name))
        if result.returncode != 0:
            raise DepotError(f"depotclock {' '.join(args)} failed: {result.stdout}{result.stderr}")
        return result.stdout

    # -- the hub's store, read the way the tests read it ----------------------

    def count(self, model, *where) -> int:
        engine = make_engine(self.database_url)
        try:
            with session_factory(engine)() as session:
                return session.scalar(select(func.count()).select_from(model).where(*where))
        finally:
            engine.dispose()


class Kiosk:
    """A kiosk process on a simulated reader; its screen answers Break or Clock out."""

    def __init__(self, depot: Depot, kiosk_id: str, depot_id: str, zone: str, broker_port: int):
        self.id, self.dir = kiosk_id, depot.root / kiosk_id
        self.dir.mkdir()
        self.feed, self.journal, self.screen_port = self.dir / "taps", self.dir / "journal.db", free_port()
        config = self.dir / "kiosk.toml"
        config.write_text(
            f'kiosk_id = "{kiosk_id}"\ndepot_id = "{depot_id}"\n'
            f'mqtt_url = "{depot.broker_url(kiosk_id, broker_port)}"\ntimezone = "{zone}"\n'
            f'journal_path = "{self.journal}"\nscreen_port = {self.screen_port}\n'
            # the test never bounces a card, and its taps of one card may come a second apart;
            # it answers at once, but a loaded machine must not run out the answer time
            "double_read_s = 0\nanswer_s = 30\n"
            f'\n[reader]\nfamily = "simulated"\nsimulated_feed = "{self.feed}"\n'
        )
        self.process = depot.start(kiosk_id, DEPOTCLOCK, "kiosk", "run", "--config", str(config))
        self._token: str | None = None

    def _screen(self, path: str, body: dict | None = None):
        request = urllib.request.Request(f"http://127.0.0.1:{self.screen_port}{path}")
        if body is not None:
            request.data = json.dumps(body).encode()
            request.add_header("Content-Type", "application/json")
            request.add_header("X-Screen-Token", self._token)
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read().decode()

    def state(self) -> dict:
        return json.loads(self._screen("/state"))

    def wait_ready(self) -> None:
        def page() -> str | None:
            try:
                return self._screen("/")
            except OSError:
                return None

        html = wait_for(page, f"{self.id}'s screen", process=self.process)
        self._token = json.loads(re.search(r"const token = (\"[^\"]+\")", html).group(1))

    def punches(self) -> int:
        with sqlite3.connect(f"file:{self.journal}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM entries WHERE kind = 'punch'").fetchone()[0]

    def roster_state(self, tech: str) -> str | None:
        """The technician's state in the last roster this kiosk took from the hub."""
        with sqlite3.connect(f"file:{self.journal}?mode=ro", uri=True) as db:
            row = db.execute("SELECT value FROM state WHERE key = 'roster'").fetchone()
        if row is None:
            return None
        entries = {e.tech: e.state for e in parse_roster(row[0]).technicians}
        return entries.get(tech)

    def wait_sees(self, tech: str, state: str) -> None:
        wait_for(lambda: self.roster_state(tech) == state, f"{self.id}'s roster to show {tech} {state}",
                 process=self.process)

    def punch(self, badge: str, option: str | None = None) -> None:
        """Tap `badge`; when the kiosk asks, answer `option` (or the nearest it offers:
        Break where it does not ask which kind). Returns once the punch is journaled."""
        before = self.punches()
        tap(self.feed, badge)
        if option is not None:
            asked = wait_for(lambda: self.state().get("options"), f"{self.id} to ask Break or Clock out",
                             process=self.process)
            offered = [o["option"] for o in asked]
            choice = option if option in offered else "break"
            self._screen("/choose", {"option": choice})
        wait_for(lambda: self.punches() > before, f"{self.id} to journal {badge}'s punch", process=self.process)


class Van:
    """The van unit (tests.fakes.van_unit) reading gpsd that gpsfake feeds on demand.

    gpsfake steps through the day's sentences one line of its standard input at a time
    (`-i`). Between two blocks of fixes it holds satellite reports (GSV: gpsd's SKY, no
    fix), one fed every `KEEPALIVE_S` while the test is busy elsewhere: a receiver talks
    every second, and the unit takes a gpsd silent for 10 s for a dead one."""

    KEEPALIVE_S = 2.0
    FILLERS = 60  # per gap: two minutes of a parked receiver's chatter

    def __init__(self, depot: Depot, vehicle_id: str, nmea: list[list[str]]):
        self.id, self.dir = vehicle_id, depot.root / vehicle_id
        self.dir.mkdir()
        self.blocks, self.fed, self.turns, self.fillers_left = nmea, 0, 0, 0
        self._feeding, self._stopped = threading.Lock(), threading.Event()
        log = self.dir / "day.nmea"
        log.write_text("".join("".join(block) + SATELLITES * self.FILLERS for block in nmea))
        self.gpsd_port = free_port()
        gpsfake = shutil.which("gpsfake")
        if gpsfake is None:
            raise DepotError("gpsfake is missing: run scripts/setup.sh test")
        with (self.dir / "gpsfake.log").open("wb") as errors:
            self.gpsfake = subprocess.Popen([gpsfake, "-1", "-q", "-i", "-P", str(self.gpsd_port), str(log)],
                                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors)
        depot.stack.callback(self._close_gpsfake)
        wait_for(lambda: _listening(self.gpsd_port) or self.gpsfake.poll() is not None, "gpsfake's gpsd")
        self.key, self.journal = self.dir / "ignition", self.dir / "journal.db"
        config = self.dir / "vehicle.toml"
        config.write_text(
            f'vehicle_id = "{vehicle_id}"\nmqtt_url = "{depot.broker_url(vehicle_id)}"\n'
            f'journal_path = "{self.journal}"\nignition_pin = 23\ngpsd_port = {self.gpsd_port}\n'
            # the test's clock stands still while gpsfake plays a drive's fixes in seconds
            'future_tolerance_s = 3600\n'
        )
        os.mkfifo(self.key)
        self.process = depot.start(vehicle_id, sys.executable, "-m", "tests.fakes.van_unit", str(self.key), "23",
                                   "vehicle", "run", "--config", str(config))
        threading.Thread(target=self._keep_talking, name="gps-chatter", daemon=True).start()

    def _close_gpsfake(self) -> None:
        """End of input ends gpsfake, which stops its gpsd (a killed gpsfake leaves it running)."""
        self._stopped.set()
        with self._feeding, contextlib.suppress(OSError):  # it is gone already
            self.gpsfake.stdin.close()
        try:
            self.gpsfake.wait(10)
        except subprocess.TimeoutExpired:
            self.gpsfake.kill()

    def _feed(self, lines: int) -> None:
        self.gpsfake.stdin.write(b"\n" * lines)
        self.gpsfake.stdin.flush()

    def _keep_talking(self) -> None:
        while not self._stopped.wait(self.KEEPALIVE_S):
            with self._feeding:
                if self.fillers_left and self.gpsfake.poll() is None:
                    self._feed(1)
                    self.fillers_left -= 1

    def ignition(self, on: bool) -> None:
        """Turn the key; returns once the unit's pin has changed."""
        with self.key.open("w") as key:
            key.write("on\n" if on else "off\n")
        self.turns += 1
        done = self.key.with_name(self.key.name + ".done")
        wait_for(lambda: done.exists() and int(done.read_text() or 0) >= self.turns, "the ignition pin to follow the key",
                 process=self.process)

    def drive(self) -> None:
        """Feed gpsd the next block of the day's fixes (a drive, or a parked fix)."""
        with self._feeding:
            self._feed(self.fillers_left + len(self.blocks[self.fed]))
            self.fed, self.fillers_left = self.fed + 1, self.FILLERS

    def journaled(self, kind: str) -> list[dict]:
        if not self.journal.exists():
            return []
        with sqlite3.connect(f"file:{self.journal}?mode=ro", uri=True) as db:
            rows = db.execute("SELECT payload FROM entries WHERE kind = ? ORDER BY seq", (kind,)).fetchall()
        return [json.loads(payload) for (payload,) in rows]


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Api:
    """The hub's JSON API with one user's token."""

    def __init__(self, base: str, token: str):
        self.base, self.token = base, token

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(f"{self.base}/api/v1{path}", method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if body is not None:
            request.data = json.dumps(body).encode()
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise DepotError(f"{method} {path} answered {exc.code}: {exc.read().decode()[:2000]}") from None

    def get(self, path: str) -> dict:
        return self.call("GET", path)

    def post(self, path: str, body: dict) -> dict:
        return self.call("POST", path, body)
