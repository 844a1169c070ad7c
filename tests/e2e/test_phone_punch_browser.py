"""Clocking from a phone-sized window in headless Chromium (issue 19): Maria, at work
since 07:00, takes a break and ends it from North Depot (the browser gives the phone's
position), clocks out where her phone gives none (flagged, not lost), and sets her kiosk
PIN, a bad one first. The page's script runs under the Content-Security-Policy."""

from __future__ import annotations

from hub.store.models import Punch
from tests.e2e.phone_server import PHONE, phone_server  # noqa: F401  (the fixture)
from tests.fakes.browser import log_in
from tests.integration.web.company import PASSWORD, stored


def test_a_day_on_the_phone(browser, phone_server, artifacts):  # noqa: F811
    base, url, clock = phone_server
    at_depot = browser.new_context(**PHONE, geolocation={"latitude": 41.8802, "longitude": -87.6803, "accuracy": 15},
                                   permissions=["geolocation"])
    at_depot.clock.install(time=clock())
    page = at_depot.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, base, "maria", PASSWORD)
    page.wait_for_selector("#clock-state")
    assert page.inner_text("#clock-state") == "At work"
    assert page.locator("#clock .steps:visible button").all_inner_texts() == ["Start break", "Clock out"]
    page.click("#clock .steps:visible >> text=Start break")
    page.wait_for_selector("text=Start break: 14:")
    assert page.inner_text("#clock-state") == "On a break"
    page.screenshot(path=artifacts / "1-on-a-break.png", full_page=True)
    page.click("#clock .steps:visible >> text=End break")
    page.wait_for_selector("#clock-state >> text=At work")
    assert refused == []
    at_depot.close()

    nowhere = browser.new_context(**PHONE)  # the phone would not say where it is
    nowhere.clock.install(time=clock())
    page = nowhere.new_page()
    log_in(page, base, "maria", PASSWORD)
    page.click("#clock .steps:visible >> text=Clock out")
    page.wait_for_selector("text=It is flagged for your supervisor: no position")
    assert page.inner_text("#clock-state") == "Off the clock"
    page.screenshot(path=artifacts / "2-clocked-out-flagged.png", full_page=True)

    page.click("text=Set my kiosk PIN")
    page.fill("input[name=pin]", "12ab")
    page.click("button[type=submit] >> text=Set PIN")
    page.wait_for_selector("text=A PIN is 6 to 8 digits.")
    page.fill("input[name=pin]", "246810")
    page.click("button[type=submit] >> text=Set PIN")
    page.wait_for_selector("text=Your kiosk PIN is set")
    nowhere.close()

    phone = [(p.action, p.source, p.flags, p.lat is not None) for p in sorted(stored(url, Punch), key=lambda p: p.at)
             if p.source == "phone"]
    assert phone == [("break_start", "phone", [], True), ("break_end", "phone", [], True),
                     ("clock_out", "phone", ["no_position"], False)]
