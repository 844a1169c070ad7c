"""Fixtures of the broker tests: a mosquitto set up from the hub's provisioned accounts."""

from __future__ import annotations

from pathlib import Path

import pytest

from depotclock.mosquitto import free_port
from tests.integration.broker.provisioned import DEVICES, ProvisionedBroker, hub_with_depots


@pytest.fixture
def make_provisioned_broker(migrated_url: str, tmp_path: Path):
    """A hub database with two depots and the DEVICES provisioned; `start(options)` writes
    the broker files with those broker-config options and starts mosquitto."""
    config = hub_with_depots(tmp_path, migrated_url)
    started: list[ProvisionedBroker] = []

    def start(options: tuple[str, ...] = ("--bind", "127.0.0.1")) -> ProvisionedBroker:
        broker = ProvisionedBroker(config, tmp_path / "broker", free_port(), list(options))
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
