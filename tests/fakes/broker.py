"""Broker fixtures: a mosquitto process of our own per test, on a free port."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from depotclock.mosquitto import MosquittoProcess, free_port
from hub.broker.mosquitto_files import BrokerAccount, write_broker_files

DEFAULT_ACCOUNTS = [
    BrokerAccount("hub", "hub-secret", "hub"),
    BrokerAccount("kiosk-1", "k1-secret", "kiosk", depot="north"),
    BrokerAccount("kiosk-2", "k2-secret", "kiosk", depot="south"),
    BrokerAccount("van-1", "v1-secret", "vehicle"),
]


@dataclass
class Broker:
    process: MosquittoProcess
    accounts: dict[str, BrokerAccount]

    @property
    def port(self) -> int:
        return self.process.port

    def url(self, username: str) -> str:
        account = self.accounts[username]
        return f"mqtt://{account.username}:{account.password}@127.0.0.1:{self.port}"

    def client(self, username: str) -> mqtt.Client:
        """A connected MQTT 5 client logged in as `username` (client id the same), its
        network loop running; disconnect it when done."""
        account = self.accounts[username]
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=username, protocol=mqtt.MQTTv5)
        client.username_pw_set(account.username, account.password)
        client.connect("127.0.0.1", self.port)
        client.loop_start()
        return client


@pytest.fixture
def make_broker(tmp_path: Path):
    """Start a mosquitto with the given accounts (default: a hub, two kiosks, a van)."""
    started: list[MosquittoProcess] = []

    def start(accounts: list[BrokerAccount] = DEFAULT_ACCOUNTS) -> Broker:
        port = free_port()
        conf = write_broker_files(
            tmp_path / f"broker-{port}", port, accounts, run_as=getpass.getuser()
        )
        process = MosquittoProcess(conf, port).start()
        started.append(process)
        return Broker(process, {a.username: a for a in accounts})

    yield start
    for process in started:
        process.kill()


@pytest.fixture
def broker(make_broker) -> Broker:
    return make_broker()
