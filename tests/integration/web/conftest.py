"""Flask-tutorial fixtures: `app` on each backend (a seeded company, a fixed clock),
`client`, `runner` and `auth` (log in as any seeded user)."""

from __future__ import annotations

import pytest

from hub.settings import HubSettings, PayrollSettings
from hub.web import create_app, db
from tests.integration.web.company import NOW, PASSWORD, seed


def make_app(url: str, approval_levels: int = 1, approve_unsubmitted: bool = False, own_corrections: bool = True,
             **config):
    settings = HubSettings(database_url=url, mqtt_url="mqtt://hub:x@127.0.0.1:1883", timezone="America/Chicago",
                           payroll=PayrollSettings(approval_levels=approval_levels,
                                                   approve_unsubmitted=approve_unsubmitted,
                                                   own_corrections=own_corrections))
    return create_app(settings, {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                                 "CLOCK": lambda: NOW, **config})


@pytest.fixture
def seeded(migrated_url):
    return migrated_url, seed(migrated_url)


@pytest.fixture
def known(seeded):
    return seeded[1]


@pytest.fixture
def app(seeded, request):
    levels = getattr(request, "param", 1)
    app = make_app(seeded[0], approval_levels=levels)
    yield app
    db.dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)
