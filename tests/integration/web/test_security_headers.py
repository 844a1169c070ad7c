"""Every response carries the security headers (issue 22), and over TLS the login cookie
is Secure, browsers are told to keep to https, and the proxy's client address is used."""

from __future__ import annotations

import pytest

from hub.settings import HubSettings
from hub.web import create_app, db
from hub.web.security_headers import HEADERS, content_security_policy
from tests.integration.web.company import NOW, PASSWORD

URLS = ["/login", "/board", "/static/style.css", "/no-such-page", "/api/v1/openapi.json", "/api/v1/timesheets",
        "/healthz"]


@pytest.mark.parametrize("url", URLS)
def test_every_response_carries_the_security_headers(client, auth, url):
    auth.login("sam")
    response = client.get(url)
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (url, name)
    assert "Strict-Transport-Security" not in response.headers


def test_the_policy_lets_the_pages_run_only_our_own_script_and_nothing_of_other_sites():
    policy = dict(part.split(" ", 1) for part in content_security_policy(HubSettings.model_fields["map_tiles"].default)
                  .split("; "))
    assert policy["default-src"] == "'none'" and policy["script-src"] == "'self'"  # the maps' and the board's
    assert policy["connect-src"] == "'self'"  # the board polls its own origin
    assert policy["frame-ancestors"] == "'none'" and policy["form-action"] == "'self'"
    assert policy["manifest-src"] == "'self'"  # the phone app's manifest


def _https_app(url: str):
    settings = HubSettings(database_url=url, mqtt_url="mqtt://hub:x@127.0.0.1:1883", web_https=True, web_proxies=1)
    return create_app(settings, {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                                 "CLOCK": lambda: NOW})


def test_behind_a_tls_proxy_the_cookie_is_secure_and_https_is_kept(seeded):
    app = _https_app(seeded[0])
    client = app.test_client()
    proxied = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    response = client.post("/login", data={"username": "sam", "password": PASSWORD}, headers=proxied)
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    db.dispose(app)
