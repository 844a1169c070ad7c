"""`cafile=` in mqtt_url: a device and the hub check the broker's certificate against a
private CA instead of the system's store, and refuse a broker whose certificate another CA
signed. A real mosquitto TLS listener, a throw-away CA, configs written by `provision`."""

from __future__ import annotations

import logging
import ssl
import threading
import tomllib
from urllib.parse import quote

import pytest
from sqlalchemy import select

from depotclock.config import ConfigError
from depotclock.mqtt_client import make_client
from depotclock.mqtt_link import BrokerLink
from depotclock.mqtt_url import BrokerAddress
from hub.ingest.consumer import IngestConsumer
from hub.services.status import broker_reachable
from hub.store.engine import make_engine
from hub.store.models import DeviceStatus
from tests.integration.broker.certificates import make_ca_and_server
from tests.integration.broker.provisioned import hub_cli
from tests.integration.devicelink.status_device import kiosk_status
from tests.waiting import eventually

pytestmark = pytest.mark.broker


def _state(engine) -> str | None:
    with engine.connect() as connection:
        return connection.scalar(select(DeviceStatus.state))


@pytest.fixture
def tls_broker(make_provisioned_broker, tmp_path):
    cafile, certfile, keyfile = make_ca_and_server(tmp_path / "tls")
    broker = make_provisioned_broker([
        "--bind", "127.0.0.1", "--cafile", str(cafile), "--certfile", str(certfile), "--keyfile", str(keyfile),
    ])
    return broker, cafile


def _provisioned_url(broker, role: str, username: str, cafile, *depot: str) -> str:
    """Provision again with the CA in --broker, reload the broker; the mqtt_url written."""
    text = hub_cli(broker.config, "provision", role, username, *depot,
                   "--broker", f"mqtts://127.0.0.1:{broker.port}?cafile={quote(str(cafile))}")
    broker.rewrite_and_reload()
    return tomllib.loads(text)["mqtt_url"]


def test_a_device_connects_with_the_ca_its_config_names(tls_broker):
    broker, cafile = tls_broker
    url = _provisioned_url(broker, "kiosk", "kiosk-a", cafile, "--depot", "north")
    address = BrokerAddress.from_url(url)
    assert address.ca_file == str(cafile)
    link = BrokerLink(address, "kiosk-a", kiosk_status("kiosk-a"))
    link.start()
    try:
        assert link.connected.wait(15)
    finally:
        link.close()


def test_a_device_refuses_a_broker_certificate_from_another_ca(tls_broker, tmp_path):
    broker, _ = tls_broker
    other_ca, _, _ = make_ca_and_server(tmp_path / "other", name="Someone else")
    address = BrokerAddress.from_url(f"mqtts://kiosk-a:x@127.0.0.1:{broker.port}?cafile={other_ca}")
    with pytest.raises(ssl.SSLCertVerificationError):
        make_client(address, "kiosk-a").connect(address.host, address.port)


def test_a_missing_ca_file_is_a_config_error(tmp_path):
    address = BrokerAddress.from_url(f"mqtts://kiosk-a:x@127.0.0.1:8883?cafile={tmp_path}/none.pem")
    with pytest.raises(ConfigError, match="cannot load the CA certificate cafile="):
        make_client(address, "kiosk-a")


def test_the_hub_ingests_over_tls_with_the_ca(tls_broker, migrated_url):
    broker, cafile = tls_broker
    hub_url = _provisioned_url(broker, "hub", "hub", cafile)
    assert broker_reachable(hub_url) is None
    kiosk_url = _provisioned_url(broker, "kiosk", "kiosk-a", cafile, "--depot", "north")
    engine = make_engine(migrated_url)
    consumer = IngestConsumer(BrokerAddress.from_url(hub_url), engine)
    runner = threading.Thread(target=consumer.run, daemon=True)
    runner.start()
    link = BrokerLink(BrokerAddress.from_url(kiosk_url), "kiosk-a", kiosk_status("kiosk-a"))
    try:
        assert consumer.subscribed.wait(30)
        link.start()
        assert link.connected.wait(15)
        assert eventually(lambda: _state(engine) == "online")
    finally:
        link.close()
        consumer.stop()
        runner.join(10)
        engine.dispose()


def test_the_hub_refuses_a_broker_certificate_from_another_ca(tls_broker, migrated_url, tmp_path, caplog):
    broker, _ = tls_broker
    other_ca, _, _ = make_ca_and_server(tmp_path / "other", name="Someone else")
    url = f"mqtts://hub:x@127.0.0.1:{broker.port}?cafile={other_ca}"
    assert "certificate verify failed" in broker_reachable(url)
    engine = make_engine(migrated_url)
    consumer = IngestConsumer(BrokerAddress.from_url(url), engine, store_processes=0)
    with caplog.at_level(logging.ERROR, logger="hub.ingest.subscriber"):
        consumer.client.start()  # says why it cannot connect, and keeps trying
    try:
        assert "certificate verify failed" in caplog.text
        assert not consumer.client.is_connected()
    finally:
        consumer.client.stop()
        engine.dispose()
