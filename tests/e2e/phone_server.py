"""What the phone's browser tests share: the hub's web app on a seeded company (Maria at work
since 07:00), its clock running from NOW, and a phone-sized browser whose clock is set to
it (the page stamps each request with the time it was made)."""

from __future__ import annotations

import shutil
import time
from datetime import timedelta

import pytest

from hub.web import db
from tests.fakes.browser import CHROMIUM_ARGS, served
from tests.integration.web.company import NOW, seed
from tests.integration.web.conftest import make_app

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# resolves once the page's service worker controls it (the pages kept for use offline)
CONTROLLED = """() => navigator.serviceWorker.controller !== null || new Promise(
    done => navigator.serviceWorker.addEventListener("controllerchange", () => done(true)))"""


@pytest.fixture
def phone_server(tmp_path, sqlite_template):
    """(the web app's address, its database url, its clock)."""
    shutil.copy(sqlite_template, tmp_path / "hub.db")
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    seed(url)
    started = time.monotonic()

    def clock():
        return NOW + timedelta(seconds=time.monotonic() - started)

    app = make_app(url, WTF_CSRF_ENABLED=True, TESTING=False, CLOCK=clock)
    with served(app) as base:
        yield base, url, clock
    db.dispose(app)


def open_phone_app(browser, folder, clock, refused: list[str]):
    """The installed app on a phone: a browser profile kept in `folder` (closing it and
    opening it again is the phone's browser reopened); messages the Content-Security-Policy
    refused are added to `refused`."""
    context = browser.browser_type.launch_persistent_context(
        folder, executable_path=shutil.which("chromium") or shutil.which("chromium-browser"),
        args=CHROMIUM_ARGS, **PHONE)
    context.clock.install(time=clock())
    page = context.pages[0] if context.pages else context.new_page()
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    return context, page
