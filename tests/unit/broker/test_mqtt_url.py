"""The broker URL: login, host, port, TLS, and the CA file beside them (`?cafile=`)."""

from __future__ import annotations

import pytest

from depotclock.config import ConfigError, load_settings
from depotclock.mqtt_url import BrokerAddress
from hub.broker.device_configs import device_mqtt_url
from kiosk.settings import KioskSettings


def test_a_ca_file_with_tls():
    address = BrokerAddress.from_url("mqtts://kiosk-1:s%40cret@hub.example?cafile=/etc/depotclock/ca%20north.crt")
    assert (address.host, address.port, address.password, address.tls) == ("hub.example", 8883, "s@cret", True)
    assert address.ca_file == "/etc/depotclock/ca north.crt"


def test_no_ca_file_means_the_system_store():
    assert BrokerAddress.from_url("mqtts://hub.example:8883").ca_file is None


@pytest.mark.parametrize(("url", "says"), [
    ("mqtt://hub.example?cafile=/ca.crt", "cafile needs mqtts://"),
    ("mqtts://hub.example?ca=/ca.crt", "unknown option 'ca'"),
    ("mqtts://hub.example?cafile=", "give cafile once"),
    ("mqtts://hub.example?cafile=/a.crt&cafile=/b.crt", "give cafile once"),
    ("mqtts://hub.example?/ca.crt", "the query must be ?cafile="),
])
def test_a_wrong_query_says_what_is_wrong(url, says):
    with pytest.raises(ValueError, match=f"{url!r}".replace("?", r"\?") + ".*" + says.replace("?", r"\?")):
        BrokerAddress.from_url(url)


def test_a_provisioned_url_keeps_the_ca_file():
    broker = BrokerAddress.from_url("mqtts://hub.example:8883?cafile=/etc/depotclock/ca%20north.crt")
    url = device_mqtt_url(broker, "kiosk-1", "p@ss word")
    assert url == "mqtts://kiosk-1:p%40ss%20word@hub.example:8883?cafile=/etc/depotclock/ca%20north.crt"
    assert BrokerAddress.from_url(url) == BrokerAddress("hub.example", 8883, "kiosk-1", "p@ss word", True,
                                                        "/etc/depotclock/ca north.crt")


def test_a_device_must_have_the_ca_file_it_names(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('kiosk_id = "kiosk-1"\ndepot_id = "north"\ntimezone = "America/Chicago"\n'
                      f'mqtt_url = "mqtts://kiosk-1:pw@hub.example?cafile={tmp_path}/ca.crt"\n')
    with pytest.raises(ConfigError, match="no such file here"):
        load_settings(KioskSettings, config)
    (tmp_path / "ca.crt").write_text("PEM")
    assert load_settings(KioskSettings, config).mqtt_url.endswith("/ca.crt")
