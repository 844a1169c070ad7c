"""`device_broker_url` in the hub's settings: the broker address `provision` writes into
device configs when --broker is not given; the hub's own login keeps the hub's address."""

from __future__ import annotations

import tomllib

from click.testing import CliRunner

from depotclock.cli import main
from depotclock.config import load_settings
from depotclock.mqtt_url import BrokerAddress
from kiosk.settings import KioskSettings
from tests.integration.broker.provisioned import hub_cli, hub_with_depots, login_of

DEVICE_BROKER = "mqtts://hub.example:8883?cafile=/etc/depotclock/ca.crt"


def _address(config_text: str) -> BrokerAddress:
    return BrokerAddress.from_url(tomllib.loads(config_text)["mqtt_url"])


def _with_device_broker(config, url: str = DEVICE_BROKER):
    config.write_text(config.read_text() + f'device_broker_url = "{url}"\n')
    return config


def test_provision_writes_the_device_broker_url_by_default(migrated_url, tmp_path):
    ca = tmp_path / "ca.crt"  # the device's copy (here, this machine plays the kiosk)
    ca.write_text("PEM")
    config = _with_device_broker(hub_with_depots(tmp_path, migrated_url), f"mqtts://hub.example:8883?cafile={ca}")
    out = tmp_path / "kiosk.toml"
    result = CliRunner().invoke(main, ["hub", "--config", str(config), "provision", "kiosk", "kiosk-a",
                                       "--depot", "north", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "will look for the broker at" not in result.stderr
    broker = BrokerAddress.from_url(load_settings(KioskSettings, out).mqtt_url)
    assert (broker.host, broker.port, broker.tls, broker.ca_file) == ("hub.example", 8883, True, str(ca))
    assert (broker.username, broker.password) == login_of(out.read_text())


def test_broker_outranks_the_setting_and_the_hub_keeps_its_own_address(migrated_url, tmp_path):
    config = _with_device_broker(hub_with_depots(tmp_path, migrated_url))
    van = hub_cli(config, "provision", "vehicle", "van-1", "--broker", "mqtts://10.0.0.5")
    assert _address(van).host == "10.0.0.5"
    hub = _address(hub_cli(config, "provision", "hub"))
    assert (hub.host, hub.port, hub.tls) == ("127.0.0.1", 1883, False)  # hub.toml's mqtt_url


def test_a_device_broker_url_with_a_login_is_refused(migrated_url, tmp_path):
    config = _with_device_broker(hub_with_depots(tmp_path, migrated_url), "mqtts://kiosk:pw@hub.example")
    result = CliRunner().invoke(main, ["hub", "--config", str(config), "provision", "vehicle", "van-1"])
    assert result.exit_code != 0
    assert "device_broker_url" in result.output and "without a login" in result.output
