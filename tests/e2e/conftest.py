"""The browser tests' hub: its web app served on a seeded company, CSRF on."""

from __future__ import annotations

import shutil

import pytest

from hub.web import db
from tests.fakes.browser import served
from tests.integration.web.company import seed
from tests.integration.web.conftest import make_app


@pytest.fixture
def server(tmp_path, sqlite_template):
    """The address of the web app on the seeded company (tests.integration.web.company)."""
    shutil.copy(sqlite_template, tmp_path / "hub.db")
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    seed(url)
    app = make_app(url, WTF_CSRF_ENABLED=True, TESTING=False)
    with served(app) as base:
        yield base
    db.dispose(app)
