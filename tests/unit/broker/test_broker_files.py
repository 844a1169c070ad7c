"""The broker's files as text: who may do what (ACL), the password file, the listeners."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

import pytest

from hub.broker.mosquitto_files import (
    BrokerConfigError,
    TlsFiles,
    acl_text,
    ingest_logins,
    mosquitto_conf,
    password_file_text,
    password_hash,
)


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    depot: str | None = None
    password_hash: str = "$7$1000$c2FsdA==$aGFzaA=="


def test_each_account_gets_its_own_topics_and_the_hub_the_tree():
    text = acl_text([Login("hub", "hub"), Login("kiosk-n1", "kiosk", "north"), Login("van-12", "vehicle")])
    hub_blocks = "".join(f"user {name}\ntopic readwrite depotclock/v1/#\n\n" for name in ("hub", *ingest_logins("hub")))
    assert text == hub_blocks + (
        "user kiosk-n1\n"
        "topic write depotclock/v1/kiosk/kiosk-n1/#\n"
        "topic read depotclock/v1/depot/north/roster\n"
        "topic read depotclock/v1/kiosk/kiosk-n1/receipt\n"
        "\n"
        "user van-12\n"
        "topic write depotclock/v1/vehicle/van-12/#\n"
        "topic read depotclock/v1/vehicle/van-12/receipt\n"
    )
    assert "pattern" not in text  # a pattern line would apply to every user, of every role


def test_a_kiosk_account_needs_a_depot_and_a_role_must_be_known():
    with pytest.raises(BrokerConfigError, match="needs a depot"):
        acl_text([Login("kiosk-9", "kiosk")])
    with pytest.raises(BrokerConfigError, match="no known role"):
        acl_text([Login("printer", "printer")])


def test_the_password_file_holds_hashes_only():
    assert password_file_text([Login("van-12", "vehicle")]) == "van-12:$7$1000$c2FsdA==$aGFzaA==\n"
    with pytest.raises(BrokerConfigError, match="no sha512-pbkdf2 password hash"):
        password_file_text([Login("van-12", "vehicle", password_hash="plain-secret")])
    with pytest.raises(BrokerConfigError, match="cannot be a broker username"):
        password_file_text([Login("van:12", "vehicle")])


def test_a_hub_accounts_ingest_processes_log_in_under_names_of_their_own_with_its_password():
    """The broker takes usernames as client ids (issue 22): each ingest process its own."""
    text = password_file_text([Login("hub", "hub"), Login("van-12", "vehicle")])
    names = [line.split(":")[0] for line in text.splitlines()]
    assert names == ["hub", "hub-ingest", *(f"hub-ingest-{n}" for n in range(1, 17)), "van-12"]
    assert len({line.split(":", 1)[1] for line in text.splitlines() if line.startswith("hub")}) == 1


def test_an_account_named_like_a_hubs_ingest_login_is_refused():
    with pytest.raises(BrokerConfigError, match="two accounts"):
        password_file_text([Login("hub", "hub"), Login("hub-ingest-3", "kiosk", "north")])


def test_every_listener_takes_the_username_as_client_id():
    tls = TlsFiles(Path("/t/ca.pem"), Path("/t/server.pem"), Path("/t/server.key"))
    for conf in (_conf(), _conf(tls=tls, local_port=1883)):
        listeners = [i for i, line in enumerate(conf) if line.startswith("listener")]
        for start, end in zip(listeners, [*listeners[1:], len(conf)]):
            assert "use_username_as_clientid true" in conf[start:end]


def test_a_hash_in_mosquittos_format():
    salt = bytes(range(12))
    made = password_hash("secret", salt, iterations=101)
    scheme, iterations, salt_b64, digest_b64 = made.split("$")[1:]
    assert (scheme, iterations, base64.b64decode(salt_b64)) == ("7", "101", salt)
    assert len(base64.b64decode(digest_b64)) == 64  # SHA-512
    assert made == password_hash("secret", salt, iterations=101)
    assert password_hash("secret") != password_hash("secret")  # a new salt each time


def _conf(**kwargs) -> list[str]:
    return mosquitto_conf(port=8883, password_file=Path("/b/passwd"), acl_file=Path("/b/acl"),
                          persistence_dir=Path("/b/data"), bind="0.0.0.0", **kwargs).splitlines()


def test_no_anonymous_access_and_the_files_named():
    conf = _conf()
    expected = {"allow_anonymous false", "password_file /b/passwd", "acl_file /b/acl", "persistence true"}
    assert expected <= set(conf)
    assert [line for line in conf if line.startswith("listener")] == ["listener 8883 0.0.0.0"]
    assert not any(line.startswith(("cafile", "certfile", "keyfile")) for line in conf)


def test_with_certificates_the_listener_speaks_tls_and_plaintext_stays_on_localhost():
    tls = TlsFiles(Path("/t/ca.pem"), Path("/t/server.pem"), Path("/t/server.key"))
    conf = _conf(tls=tls, local_port=1883)
    assert conf.index("listener 1883 127.0.0.1") < conf.index("listener 8883 0.0.0.0")
    assert conf[conf.index("listener 8883 0.0.0.0") + 1:][:3] == [
        "cafile /t/ca.pem", "certfile /t/server.pem", "keyfile /t/server.key"
    ]
