"""`hub broker-config` with certificates: devices speak TLS only; plaintext only on localhost."""

from __future__ import annotations

import ssl

import pytest

from depotclock.mosquitto import free_port
from tests.integration.broker.certificates import make_ca_and_server
from tests.integration.broker.clients import connect

pytestmark = pytest.mark.broker


@pytest.fixture
def tls_broker(make_provisioned_broker, tmp_path):
    cafile, certfile, keyfile = make_ca_and_server(tmp_path / "tls")
    local_port = free_port()
    broker = make_provisioned_broker([
        "--bind", "127.0.0.1", "--local-port", str(local_port),
        "--cafile", str(cafile), "--certfile", str(certfile), "--keyfile", str(keyfile),
    ])
    return broker, cafile, local_port


def test_devices_log_in_over_tls_with_the_ca(tls_broker):
    broker, cafile, _ = tls_broker
    login = connect(broker.port, *broker.logins["kiosk-a"], ca=cafile)
    assert login.accepted
    login.close()
    assert connect(broker.port, "kiosk-a", "wrong", ca=cafile).refused == "Not authorized"


def test_plaintext_on_the_tls_port_gets_no_answer(tls_broker):
    broker, _, _ = tls_broker
    login = connect(broker.port, *broker.logins["kiosk-a"])
    assert login.dropped and login.refused is None  # the connection closed, no CONNACK


def test_a_broker_certificate_from_another_ca_is_refused(tls_broker, tmp_path):
    broker, _, _ = tls_broker
    other_ca, _, _ = make_ca_and_server(tmp_path / "other", name="Someone else")
    with pytest.raises(ssl.SSLCertVerificationError):
        connect(broker.port, *broker.logins["kiosk-a"], ca=other_ca)


def test_the_local_listener_is_plaintext_on_localhost_and_still_needs_a_password(tls_broker):
    broker, _, local_port = tls_broker
    login = connect(local_port, *broker.logins["hub"])
    assert login.accepted
    login.close()
    assert connect(local_port, None, None).refused == "Not authorized"
    conf = (broker.directory / "mosquitto.conf").read_text().splitlines()
    assert [line for line in conf if line.startswith("listener")] == [
        f"listener {local_port} 127.0.0.1", f"listener {broker.port} 127.0.0.1"
    ]
