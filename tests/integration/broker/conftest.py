"""Fixtures of the broker tests: a mosquitto set up from the hub's provisioned accounts."""

from __future__ import annotations

from pathlib import Path

import pytest

from depotclock.mosquitto import free_port
from hub.store.engine import make_engine, session_factory
from hub.store.models import Depot
from tests.integration.broker.provisioned import DEPOTS, DEVICES, ProvisionedBroker


def seed_depots(database_url: str) -> None:
    engine = make_engine(database_url)
    with session_factory(engine).begin() as session:
        session.add_all(Depot(id=d, name=d.title(), timezone=zone, lat=0.0, lon=0.0) for d, zone in DEPOTS.items())
    engine.dispose()


@pytest.fixture
def make_provisioned_broker(migrated_url: str, tmp_path: Path):
    """A hub database with two depots and the DEVICES provisioned; `start(options)` writes
    the broker files with those broker-config options and starts mosquitto."""
    seed_depots(migrated_url)
    config = tmp_path / "hub.toml"
    config.write_text(f'database_url = "{migrated_url}"\nmqtt_url = "mqtt://hub:x@127.0.0.1:1883"\n')
    started: list[ProvisionedBroker] = []

    def start(options: list[str] = ["--bind", "127.0.0.1"], port: int | None = None) -> ProvisionedBroker:
        broker = ProvisionedBroker(config, tmp_path / "broker", port or free_port(), options)
        for role, username, depot in DEVICES:
            broker.provision(role, username, depot)
        started.append(broker.start())
        return broker

    yield start
    for broker in started:
        broker.process.kill()


@pytest.fixture
def provisioned_broker(make_provisioned_broker) -> ProvisionedBroker:
    return make_provisioned_broker()
