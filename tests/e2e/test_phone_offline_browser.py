"""The technician's pages as an app with no network, in headless Chromium (issue 19): the
day opens from the service worker's copy; a break taken and ended offline waits on the
phone (IndexedDB), listed, through a reload, and is sent once the network is back; a
clock-out made offline, the browser then closed, is sent when the app is opened again.
Each punch is stored once, at the time it was pressed, whatever was sent twice."""

from __future__ import annotations

import shutil
import time
from collections import Counter
from datetime import timedelta

import pytest

from hub.store.models import DeadLetter, Punch
from hub.web import db
from tests.fakes.browser import CHROMIUM_ARGS, log_in, served
from tests.integration.web.company import NOW, PASSWORD, seed, stored
from tests.integration.web.conftest import make_app

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SHOWN = "#clock .steps:visible"
CONTROLLED = """() => navigator.serviceWorker.controller !== null || new Promise(
    done => navigator.serviceWorker.addEventListener("controllerchange", () => done(true)))"""


@pytest.fixture
def server(tmp_path, sqlite_template):
    shutil.copy(sqlite_template, tmp_path / "hub.db")
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    seed(url)
    started = time.monotonic()

    def clock():  # the hub's, running from NOW (Maria at work since 07:00); the phone's is set to it
        return NOW + timedelta(seconds=time.monotonic() - started)

    app = make_app(url, WTF_CSRF_ENABLED=True, TESTING=False, CLOCK=clock)
    with served(app) as base:
        yield base, url, clock
    db.dispose(app)


def _phone_punches(url: str) -> list[Punch]:
    return sorted((p for p in stored(url, Punch) if p.source == "phone"), key=lambda p: p.at)


def test_punches_made_offline_arrive_once_each(browser, server, tmp_path, artifacts):
    base, url, clock = server
    refused: list[str] = []

    def open_app():
        context = browser.browser_type.launch_persistent_context(
            tmp_path / "phone", executable_path=shutil.which("chromium") or shutil.which("chromium-browser"),
            args=CHROMIUM_ARGS, **PHONE)
        context.clock.install(time=clock())
        page = context.pages[0] if context.pages else context.new_page()
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        return context, page

    def waiting(page) -> list[str]:
        return page.locator("#waiting li").all_inner_texts()

    context, page = open_app()
    try:
        log_in(page, base, "maria", PASSWORD)
        page.wait_for_selector("#clock-state >> text=At work")
        page.evaluate(CONTROLLED)  # the service worker installed, the pages kept

        context.set_offline(True)
        page.reload()  # from the service worker's copy
        page.wait_for_selector("#clock-state >> text=At work")
        page.click(f"{SHOWN} >> text=Start break")
        page.wait_for_selector("#waiting li >> text=Start break")
        assert page.inner_text("#clock-state") == "On a break"  # the page moves on as the hub would
        page.click(f"{SHOWN} >> text=End break")
        page.wait_for_selector("#waiting li >> text=End break")
        page.reload()
        page.wait_for_selector("#waiting li >> nth=1")
        assert [t.split(" · ")[::2] for t in waiting(page)] == [["Start break", "waiting to send"],
                                                                ["End break", "waiting to send"]]
        assert page.inner_text("#clock-state") == "At work"
        page.screenshot(path=artifacts / "1-offline-waiting.png", full_page=True)
        assert _phone_punches(url) == []

        context.set_offline(False)  # sent in order; the page then shows the hub's day
        page.wait_for_selector(".flash >> text=End break:")
        assert waiting(page) == [] and page.is_hidden("#queue")
        assert [p.action for p in _phone_punches(url)] == ["break_start", "break_end"]

        context.set_offline(True)
        page.click(f"{SHOWN} >> text=Clock out")
        page.wait_for_selector("#waiting li >> text=Clock out")
        pressed = clock()
    finally:
        context.close()
    assert len(_phone_punches(url)) == 2

    context, page = open_app()  # the app opened again, with the network
    try:
        page.goto(f"{base}/me/")
        page.wait_for_selector(".flash >> text=Clock out:")
        page.wait_for_selector("#clock-state >> text=Off the clock")
        assert waiting(page) == []
        page.screenshot(path=artifacts / "2-sent-on-reopening.png", full_page=True)
        page.click("header button >> text=Log out")  # the next person on this phone cannot open her pages
        page.wait_for_selector("html[data-forgotten=yes]")
        kept = page.evaluate("""async () => (await Promise.all((await caches.keys()).map(async n =>
            (await (await caches.open(n)).keys()).map(r => new URL(r.url).pathname)))).flat()""")
        assert kept and not [path for path in kept if path.startswith("/me/")]
    finally:
        context.close()

    punches = _phone_punches(url)
    assert [(p.action, p.flags) for p in punches] == [("break_start", ["no_position"]), ("break_end", ["no_position"]),
                                                      ("clock_out", ["no_position"])]
    assert set(Counter(p.request_id for p in punches).values()) == {1}
    assert punches[-1].at <= pressed < punches[-1].received_at  # stamped when pressed, not when sent
    assert stored(url, DeadLetter) == [] and refused == []
