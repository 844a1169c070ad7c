"""Brute-force defence (issue 22: 30 wrong passwords in a row got 401 at full speed, then
the right one logged in): failed logins are throttled per account and per address, refused
with 429 and Retry-After, the lockout recorded and the user told; the counts live in the
database, so every web worker sees them. On SQLite and PostgreSQL."""

from __future__ import annotations

from hub.store.models import LoginLockout
from hub.web import db
from tests.integration.web.company import PASSWORD, stored
from tests.integration.web.conftest import make_app

THREE = "3 per 15 minutes"


def _app(url: str, account: str = THREE, address: str = "100 per 15 minutes"):
    return make_app(url, LOGIN_LIMIT_ACCOUNT=account, LOGIN_LIMIT_ADDRESS=address)


def _login(client, username: str, password: str, address: str = "198.51.100.7"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_an_account_is_locked_after_its_failures_even_for_the_right_password(seeded):
    app = _app(seeded[0])
    client = app.test_client()
    assert [_login(client, "sam", "wrong guess").status_code for _ in range(3)] == [401, 401, 401]
    refused = _login(client, "sam", PASSWORD)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 15 * 60
    assert b"Too many failed logins for this account. Try again in" in refused.data
    assert _login(client, "Sam ", PASSWORD).status_code == 429  # the same account however typed
    assert _login(client, "pat", PASSWORD).status_code == 302  # other accounts from the same address go on
    (lockout,) = stored(seeded[0], LoginLockout)  # recorded once, however many refusals follow
    assert (lockout.scope, lockout.subject) == ("account", "sam") and lockout.until > lockout.started_at
    db.dispose(app)


def test_an_address_is_locked_after_failures_across_accounts(seeded):
    app = _app(seeded[0], account="100 per 15 minutes", address=THREE)
    client = app.test_client()
    assert [_login(client, name, "wrong guess").status_code for name in ("sam", "pat", "ada")] == [401] * 3
    refused = _login(client, "sue", PASSWORD)
    assert refused.status_code == 429 and b"Too many failed logins for your address" in refused.data
    assert _login(client, "sue", PASSWORD, address="203.0.113.20").status_code == 302
    assert [(x.scope, x.subject) for x in stored(seeded[0], LoginLockout)] == [("address", "198.51.100.7")]
    db.dispose(app)


def test_good_logins_do_not_count(seeded):
    app = _app(seeded[0])
    client = app.test_client()
    for _ in range(5):
        assert _login(client, "sam", PASSWORD).status_code == 302
        client.post("/logout")
    db.dispose(app)


def test_every_worker_sees_the_same_counts(seeded):
    """Two apps on one database, as two gunicorn workers: failures on one lock the other."""
    first, second = _app(seeded[0]), _app(seeded[0])
    assert _login(first.test_client(), "sam", "wrong guess").status_code == 401
    assert _login(second.test_client(), "sam", "wrong guess").status_code == 401
    assert _login(first.test_client(), "sam", "wrong guess").status_code == 401
    assert _login(second.test_client(), "sam", PASSWORD).status_code == 429
    db.dispose(first)
    db.dispose(second)
