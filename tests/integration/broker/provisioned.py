"""A mosquitto configured the way an operator does it: accounts provisioned with
`depotclock hub provision`, files written by `depotclock hub broker-config`."""

from __future__ import annotations

import getpass
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from depotclock.cli import main
from depotclock.mosquitto import MosquittoProcess
from depotclock.mqtt_url import BrokerAddress
from hub.store.engine import make_engine, session_factory
from hub.store.models import Depot

DEPOTS = {"north": "America/Chicago", "south": "America/Denver"}
DEVICES = [("hub", "hub", None), ("kiosk", "kiosk-a", "north"), ("kiosk", "kiosk-b", "south"),
           ("vehicle", "van-1", None)]


def hub_cli(config: Path, *args: str) -> str:
    """Run `depotclock hub --config CONFIG ARGS`; its standard output."""
    result = CliRunner().invoke(main, ["hub", "--config", str(config), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def login_of(config_text: str) -> tuple[str, str]:
    """(username, password) from a provisioned config file's mqtt_url."""
    address = BrokerAddress.from_url(tomllib.loads(config_text)["mqtt_url"])
    return address.username, address.password


@dataclass
class ProvisionedBroker:
    config: Path  # the hub's settings file
    directory: Path  # where broker-config writes
    port: int
    options: list[str]  # broker-config's listener options
    logins: dict[str, tuple[str, str]] = field(default_factory=dict)
    process: MosquittoProcess | None = None

    def provision(self, role: str, username: str, depot: str | None = None) -> str:
        args = ["provision", role, username, "--broker", f"mqtt://127.0.0.1:{self.port}"]
        text = hub_cli(self.config, *args, *(["--depot", depot] if depot else []))
        self.logins[username] = login_of(text)
        return text

    def write_files(self) -> Path:
        hub_cli(self.config, "broker-config", "--out", str(self.directory), "--port", str(self.port),
                "--run-as", getpass.getuser(), *self.options)
        return self.directory / "mosquitto.conf"

    def start(self) -> ProvisionedBroker:
        self.process = MosquittoProcess(self.write_files(), self.port).start()
        return self

    def rewrite_and_reload(self) -> None:
        """What the operator does after provisioning or revoking: new files, then SIGHUP."""
        self.write_files()
        self.process.reload()


def hub_with_depots(directory: Path, database_url: str) -> Path:
    """The DEPOTS in the hub's database, and a hub settings file pointing at it."""
    engine = make_engine(database_url)
    with session_factory(engine).begin() as session:
        session.add_all(Depot(id=d, name=d.title(), timezone=zone, lat=0.0, lon=0.0) for d, zone in DEPOTS.items())
    engine.dispose()
    config = directory / "hub.toml"
    config.write_text(f'database_url = "{database_url}"\nmqtt_url = "mqtt://hub:x@127.0.0.1:1883"\n')
    return config
