"""The password hashes we write are mosquitto's own: the same bytes as `mosquitto_passwd`
makes, and a real mosquitto accepts them. (Confinement: test_provisioned_broker.py.)"""

from __future__ import annotations

import base64
import subprocess

import pytest

from hub.broker.mosquitto_files import password_hash
from tests.integration.broker.clients import connect


@pytest.mark.parametrize("password", ["k1-secret", "pässwörd with spaces", "x" * 200])
def test_our_hash_is_the_one_mosquitto_passwd_makes(tmp_path, password):
    passwd = tmp_path / "passwd"
    subprocess.run(["mosquitto_passwd", "-c", "-b", str(passwd), "kiosk-1", password], check=True)
    username, theirs = passwd.read_text().strip().split(":", 1)
    _, seven, iterations, salt, _ = theirs.split("$")
    assert (username, seven) == ("kiosk-1", "7")
    assert password_hash(password, base64.b64decode(salt), int(iterations)) == theirs


@pytest.mark.broker
def test_accounts_with_known_passwords_log_in_with_them_only(broker):
    """The demo's and the test fixtures' accounts: passwords known, hashed on writing."""
    for account in broker.accounts.values():
        login = connect(broker.port, account.username, account.password)
        assert login.accepted, account.username
        login.close()
        assert connect(broker.port, account.username, account.password + "x").refused == "Not authorized"
