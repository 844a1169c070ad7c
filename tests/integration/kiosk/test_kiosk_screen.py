"""The kiosk's own full-screen page in headless Chromium: it follows the kiosk live, says
what each tap did, and takes a touch answer to Break or Clock out."""

from __future__ import annotations

import os
import re
import threading
import time
from datetime import datetime, timedelta, timezone
from itertools import count

import pytest
from playwright.sync_api import expect

from depotclock.wire.messages import RosterEntry, TechState
from kiosk.readers.simulated import SimulatedReader
from kiosk.settings import KioskSettings
from kiosk.terminal import DeviceClocks, Kiosk
from tests.integration.kiosk.hub_side import publish_roster

pytestmark = pytest.mark.broker
TAP_AT = datetime(2026, 3, 2, 13, 2, tzinfo=timezone.utc)  # 07:02 in Chicago


@pytest.fixture
def kiosk(broker, tmp_path):
    publish_roster(broker.port, TAP_AT - timedelta(hours=1), (
        RosterEntry(tech="T-100", name="Maria Lopez", badges=("DEADBEEF",), state=TechState.OFF),
    ))
    settings = KioskSettings(
        kiosk_id="kiosk-1", depot_id="north", mqtt_url=broker.url("kiosk-1"), timezone="America/Chicago",
        journal_path=tmp_path / "kiosk.db", screen_port=0, double_read_s=0.2, answer_s=30,
        reader={"family": "simulated", "simulated_feed": str(tmp_path / "taps")},
    )
    ticks = count()
    clocks = DeviceClocks(
        now=lambda: TAP_AT + timedelta(milliseconds=next(ticks)), monotonic=time.monotonic,
        synced=lambda: True, boot_id="test-boot",
    )
    terminal = Kiosk(settings, SimulatedReader(settings.reader.simulated_feed), clocks)
    runner = threading.Thread(target=terminal.run, daemon=True)
    runner.start()
    yield terminal
    terminal.stop()
    runner.join(10)


def _tap(kiosk: Kiosk, badge: str) -> None:
    fd = os.open(kiosk.settings.reader.simulated_feed, os.O_WRONLY)
    os.write(fd, f"{badge}\n".encode())
    os.close(fd)


def test_the_screen_follows_taps_and_takes_a_touch_answer(browser, kiosk, artifacts):
    page = browser.new_page(viewport={"width": 1024, "height": 600})
    page.goto(f"http://127.0.0.1:{kiosk.screen_server.port}/")
    message = page.locator("#message")
    expect(message).to_have_text("Tap your badge")
    expect(page.locator("#hub")).to_have_text("Hub connected", timeout=15_000)
    expect(page.locator("#reader")).to_have_text("Reader ready")
    page.screenshot(path=artifacts / "1-idle.png")

    _tap(kiosk, "DEADBEEF")
    expect(message).to_have_text("Clocked in 07:02 - Good morning, Maria")
    expect(page.locator("body")).to_have_class("ok")
    page.screenshot(path=artifacts / "2-clocked-in.png")

    time.sleep(0.3)  # past the double-read window
    _tap(kiosk, "DEADBEEF")
    expect(page.get_by_role("button", name="Break")).to_be_visible()
    expect(page.get_by_role("button", name="Clock out")).to_be_visible()
    page.screenshot(path=artifacts / "3-question.png")
    page.get_by_role("button", name="Break").click()
    expect(message).to_have_text("Break from 07:02 - enjoy it, Maria")
    expect(page.locator("#options button")).to_have_count(0)

    _tap(kiosk, "0A0B0C0D")
    expect(message).to_have_text("Badge not recognised - ask your supervisor")
    expect(page.locator("body")).to_have_class("error")
    page.screenshot(path=artifacts / "4-unknown.png")
    expect(message).to_have_text("Tap your badge", timeout=10_000)
    assert kiosk.journal.last_seq() == 3  # clock in, break start, the unknown badge


def test_an_answer_from_another_page_is_refused(kiosk):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{kiosk.screen_server.port}/choose", data=b'{"option": "clock_out"}',
        headers={"Content-Type": "application/json"}, method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 403


def test_issue_16_a_shift_forgotten_yesterday_is_closed_and_the_screen_says_so(browser, broker, kiosk, artifacts):
    """The hub's roster says Maria is working since yesterday 07:02 (the kiosk has heard
    nothing newer): this morning's tap clocks her in rather than asking Break or Clock out."""
    from tests.waiting import eventually

    yesterday = TAP_AT - timedelta(days=1)
    publish_roster(broker.port, TAP_AT - timedelta(minutes=30), (
        RosterEntry(tech="T-100", name="Maria Lopez", badges=("DEADBEEF",), state=TechState.WORKING,
                    since=yesterday, shift_start=yesterday),
    ))
    assert eventually(lambda: kiosk.roster.roster is not None and kiosk.roster.roster.at == TAP_AT - timedelta(minutes=30))
    page = browser.new_page(viewport={"width": 1024, "height": 600})
    page.goto(f"http://127.0.0.1:{kiosk.screen_server.port}/")
    _tap(kiosk, "DEADBEEF")
    expect(page.locator("#message")).to_have_text(
        "Clocked in 07:02 - Good morning, Maria. Yesterday's shift from 07:02 was closed automatically "
        "and will be reviewed")
    expect(page.locator("#options button")).to_have_count(0)
    page.screenshot(path=artifacts / "5-shift-closed-automatically.png")


def test_issue_19_a_pin_for_a_forgotten_badge_the_depots_name_and_a_countdown(browser, broker, kiosk, artifacts):
    """Maria left her badge at home: she types her id and PIN on the screen (checked
    against the roster's argon2 hash, offline or not); the punch is journaled as a PIN
    punch. Ten wrong PINs for James's id lock it; the kiosk's status counts the lockout."""
    import json
    import sqlite3

    from argon2 import PasswordHasher

    from tests.waiting import eventually

    publish_roster(broker.port, TAP_AT - timedelta(minutes=30), (
        RosterEntry(tech="T-100", name="Maria Lopez", badges=("DEADBEEF",), state=TechState.OFF,
                    pin_hash=PasswordHasher().hash("246810")),
        RosterEntry(tech="T-101", name="James Carter", badges=(), state=TechState.OFF),
    ), depot_name="North Depot")
    assert eventually(lambda: kiosk.roster.roster is not None and kiosk.roster.roster.depot_name == "North Depot")
    page = browser.new_page(viewport={"width": 1024, "height": 600})
    page.goto(f"http://127.0.0.1:{kiosk.screen_server.port}/")
    expect(page.locator("#depot")).to_have_text("North Depot")
    message = page.locator("#message")

    def enter(tech: str, pin: str) -> None:
        page.get_by_role("button", name="Forgot your badge? Use your PIN").click()
        page.locator("#pin-tech").fill(tech)
        for digit in pin:  # the on-screen keys
            page.locator("#pin-code").focus()
            page.locator("#pin-keys button", has_text=digit).first.click()
        page.get_by_role("button", name="OK").click()

    enter("T-100", "135790")
    expect(message).to_have_text("Wrong ID or PIN - try again, or ask your supervisor")
    enter("T-100", "246810")
    expect(message).to_have_text("Clocked in 07:02 - Good morning, Maria")
    with sqlite3.connect(kiosk.settings.journal_path) as journal:  # the kiosk's own file, as it keeps it
        (payload,) = journal.execute("SELECT payload FROM entries ORDER BY seq DESC LIMIT 1").fetchone()
    punch = json.loads(payload)
    assert (punch["pin"], punch.get("badge"), punch["tech"]) == (True, None, "T-100")

    _tap(kiosk, "DEADBEEF")  # her badge after all: at work, so asked, with the default counting down
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^Clock out in \d+ s$"))
    page.screenshot(path=artifacts / "6-countdown.png")
    page.get_by_role("button", name="Clock out").click()
    expect(page.locator("#countdown")).to_have_text("")

    for _ in range(10):
        kiosk.pin_entered("T-101", "111111")
    expect(message).to_have_text(re.compile("^Too many wrong PINs for this ID - locked for 15 min"))
    assert eventually(lambda: kiosk.pins.locked(time.monotonic()) == ("T-101",))
    kiosk.pin_entered("T-101", "111111")  # not even checked while locked
    assert kiosk.pins.lockouts == 1 and kiosk._status(True).pin_locked == ("T-101",)
