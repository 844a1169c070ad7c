"""The config file written for a provisioned device: its login in mqtt_url, valid TOML."""

from __future__ import annotations

import tomllib
from datetime import datetime, timezone

from depotclock.mqtt_url import BrokerAddress
from hub.broker.accounts import Provisioned
from hub.broker.device_configs import device_mqtt_url, hub_config, kiosk_config, vehicle_config

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc)


def test_the_login_survives_the_url_whatever_its_characters():
    url = device_mqtt_url(BrokerAddress("fd00::1", 8883, None, None, True), "kiosk-1", "p@ss:w/rd%")
    assert url == "mqtts://kiosk-1:p%40ss%3Aw%2Frd%25@[fd00::1]:8883"
    parsed = BrokerAddress.from_url(url)
    assert (parsed.host, parsed.username, parsed.password) == ("fd00::1", "kiosk-1", "p@ss:w/rd%")


def test_each_role_gets_a_toml_file_with_its_id_and_login():
    broker = BrokerAddress("hub.example", 1883, None, None, False)
    kiosk = Provisioned("kiosk-1", "kiosk", "north", "pw1", rotated=False, reinstated=False)
    van = Provisioned("van-1", "vehicle", None, "pw2", rotated=False, reinstated=False)
    hub = Provisioned("hub", "hub", None, "pw3", rotated=False, reinstated=False)
    assert tomllib.loads(kiosk_config(kiosk, broker, "America/Chicago", NOW))["mqtt_url"] == (
        "mqtt://kiosk-1:pw1@hub.example:1883")
    assert tomllib.loads(vehicle_config(van, broker, NOW))["vehicle_id"] == "van-1"
    assert tomllib.loads(hub_config(hub, broker, NOW)) == {"mqtt_url": "mqtt://hub:pw3@hub.example:1883"}
