"""`depotclock hub provision` writes config files the devices' settings loaders accept, and
says what it did; `hub broker-config` refuses half a TLS setup."""

from __future__ import annotations

import stat

from click.testing import CliRunner

from depotclock.cli import main
from depotclock.config import load_settings
from depotclock.mqtt_url import BrokerAddress
from firmware.settings import VehicleSettings
from hub.store.engine import make_engine, session_factory
from hub.store.models import Kiosk
from kiosk.settings import KioskSettings
from tests.integration.broker.provisioned import hub_cli, hub_with_depots, login_of


def _invoke(config, *args):
    return CliRunner().invoke(main, ["hub", "--config", str(config), *args])


def test_a_kiosk_config_file_the_kiosk_loads(migrated_url, tmp_path):
    config, out = hub_with_depots(tmp_path, migrated_url), tmp_path / "kiosk.toml"
    result = _invoke(config, "provision", "kiosk", "kiosk-a", "--depot", "north",
                     "--broker", "mqtts://hub.example:8883", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # the password is in the file only
    assert "created kiosk account kiosk-a (depot north)" in result.stderr
    assert "registered kiosk kiosk-a at depot north" in result.stderr  # kiosks have no admin page
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    settings = load_settings(KioskSettings, out)
    broker = BrokerAddress.from_url(settings.mqtt_url)
    assert (settings.kiosk_id, settings.depot_id, settings.timezone) == ("kiosk-a", "north", "America/Chicago")
    assert (broker.host, broker.port, broker.tls, broker.username) == ("hub.example", 8883, True, "kiosk-a")


def test_a_vehicle_config_file_the_van_loads_and_a_rotation_said_so(migrated_url, tmp_path):
    config, out = hub_with_depots(tmp_path, migrated_url), tmp_path / "vehicle.toml"
    first = login_of(hub_cli(config, "provision", "vehicle", "van-1"))
    out.write_text("old")
    out.chmod(0o644)
    result = _invoke(config, "provision", "vehicle", "van-1", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "rotated the password of vehicle account van-1" in result.stderr
    assert "will look for the broker at 127.0.0.1" in result.stderr  # the hub's own address
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    settings = load_settings(VehicleSettings, out)
    assert settings.vehicle_id == "van-1"
    assert BrokerAddress.from_url(settings.mqtt_url).password not in (None, first[1])


def test_the_hub_account_list_and_revoke(migrated_url, tmp_path):
    config = hub_with_depots(tmp_path, migrated_url)
    assert login_of(hub_cli(config, "provision", "hub"))[0] == "hub"
    hub_cli(config, "provision", "kiosk", "kiosk-b", "--depot", "south")
    hub_cli(config, "provision", "revoke", "kiosk-b")
    listed = hub_cli(config, "provision", "list").splitlines()
    assert [line.split()[:3] for line in listed] == [["hub", "hub", "-"], ["kiosk-b", "kiosk", "south"]]
    assert listed[0].endswith("active") and "revoked" in listed[1]
    result = _invoke(config, "provision", "kiosk", "kiosk-c")
    assert result.exit_code == 1 and "kiosk kiosk-c is not in the hub's records: give its depot" in result.output


def test_broker_config_needs_all_three_tls_files(migrated_url, tmp_path):
    config = hub_with_depots(tmp_path, migrated_url)
    cafile = tmp_path / "ca.pem"
    cafile.write_text("")
    result = _invoke(config, "broker-config", "--out", str(tmp_path / "b"), "--cafile", str(cafile))
    assert result.exit_code == 2 and "needs all three" in result.output


def test_broker_config_warns_of_plaintext_and_of_no_hub_account(migrated_url, tmp_path):
    config = hub_with_depots(tmp_path, migrated_url)
    hub_cli(config, "provision", "vehicle", "van-1")
    result = _invoke(config, "broker-config", "--out", str(tmp_path / "b"), "--run-as", "root",
                     "--data", str(tmp_path / "var"))
    assert result.exit_code == 0, result.output
    assert f"persistence_location {tmp_path / 'var'}/" in (tmp_path / "b" / "mosquitto.conf").read_text()
    assert "0 hub, 0 kiosk, 1 vehicle account(s)" in result.stdout
    assert "listeners: plaintext on 0.0.0.0:1883" in result.stdout
    assert "SIGHUP" in result.stdout
    assert "no hub account" in result.stderr and "passwords cross the network in clear" in result.stderr


def test_provisioning_a_kiosk_registers_it_at_its_depot_once(migrated_url, tmp_path):
    """Kiosks have no admin page: provisioning one puts it on its depot's board."""
    config = hub_with_depots(tmp_path, migrated_url)
    hub_cli(config, "provision", "kiosk", "kiosk-a", "--depot", "north")
    again = _invoke(config, "provision", "kiosk", "kiosk-a")  # the record gives the depot now
    assert again.exit_code == 0 and "registered" not in again.stderr
    engine = make_engine(migrated_url)
    with session_factory(engine)() as session:
        kiosk = session.get(Kiosk, "kiosk-a")
        assert (kiosk.name, kiosk.depot_id) == ("kiosk-a", "north")
    engine.dispose()
