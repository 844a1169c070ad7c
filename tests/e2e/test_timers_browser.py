"""Timers in headless Chromium (issue 19): a technician starts one on a task category,
watches it tick (timer.js, under the CSP's script-src 'self'), switches to a work order,
stops it, and finds both visits in the week and on the day."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hub.store.migrate import upgrade
from hub.web import db
from tests.fakes.browser import log_in, served
from tests.integration.web.company import NOW, PASSWORD, seed
from tests.integration.web.conftest import make_app


@pytest.fixture
def clock():
    return [NOW]


@pytest.fixture
def server(tmp_path, clock):
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    upgrade(url)
    seed(url)
    app = make_app(url, WTF_CSRF_ENABLED=True, TESTING=False, CLOCK=lambda: clock[0])
    with served(app) as base:
        yield base
    db.dispose(app)


def test_start_a_timer_switch_it_stop_it_and_see_the_visits(browser, server, clock, artifacts):
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    phone.clock.install(time=NOW)  # the phone's clock agrees with the hub's (the page stamps each request)
    page = phone.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, server, "maria", PASSWORD)
    page.click("header >> text=Timer")
    page.select_option("select[name=target]", label="Shop (non-billable)")
    with page.expect_navigation():  # the page reloads with the hub's word once the request is sent
        page.click("#timer ~ .card >> button")
    page.wait_for_selector('[data-running="non-billable:shop"]')
    page.locator("[data-elapsed]", has_text="0:00:01").wait_for()  # it ticks (the server's clock stands still)
    page.screenshot(path=artifacts / "running.png", full_page=True)

    clock[0] = NOW + timedelta(minutes=30)
    page.clock.set_system_time(clock[0])
    page.select_option("select[name=target]", value="work_order:WO-7")
    with page.expect_navigation():
        page.click("text=Switch to this")
    page.wait_for_selector('[data-running="WO-7"]')
    clock[0] = NOW + timedelta(minutes=45)
    page.clock.set_system_time(clock[0])
    with page.expect_navigation():
        page.click("#timer >> text=Stop")
    page.wait_for_selector("text=No timer running")

    page.goto(f"{server}/me/week?week=2026-03-02")
    wednesday = page.locator("tr", has_text="Wed 04 Mar")
    assert wednesday.locator("td.num").nth(2).inner_text() == "0:45"  # on site: both visits
    page.screenshot(path=artifacts / "week.png", full_page=True)
    wednesday.locator("a").click()
    segments = page.locator("table.segments")
    assert "on site · Shop" in segments.inner_text() and "on site · WO-7" in segments.inner_text()
    assert refused == []
    phone.close()
