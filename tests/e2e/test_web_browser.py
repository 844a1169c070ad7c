"""The hub's web app in headless Chromium against a real server: log in, see the board and
the timeline, fix a missing clock-out with a reason, approve a week, and check in to a
work order on a phone-sized screen. Screenshots are kept in test-artifacts/."""

from __future__ import annotations

from tests.fakes.browser import log_in
from tests.integration.web.company import NOW, PASSWORD

PHONE = {"width": 390, "height": 844}


def _login(page, base: str, username: str) -> None:
    log_in(page, base, username, PASSWORD)


def test_a_supervisor_sees_the_board_and_the_timeline(browser, server, artifacts):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _login(page, server, "sam")
    page.wait_for_selector("#board")
    assert page.locator('tr[data-technician="T-101"]').get_attribute("data-state") == "on_break"
    assert page.locator('tr[data-technician="T-100"]').get_attribute("data-state") == "clocked_in"
    page.screenshot(path=artifacts / "board.png", full_page=True)
    page.goto(f"{server}/timeline?day=2026-03-02")
    assert page.locator("svg.timeline rect[data-category=on_site]").count() >= 1
    page.screenshot(path=artifacts / "timeline.png", full_page=True)
    page.close()


def test_fix_a_missing_clock_out_with_a_reason(browser, server, artifacts):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _login(page, server, "sam")
    page.goto(f"{server}/exceptions")
    card = page.locator('div[data-code="missing_clock_out"][data-technician="T-100"]')
    card.locator("input[name=time]").fill("16:00")
    card.locator("button[type=submit]").click()  # no reason: refused, nothing saved
    page.wait_for_selector('[data-field="reason"]')
    page.screenshot(path=artifacts / "reason-required.png", full_page=True)
    card = page.locator('div[data-code="missing_clock_out"][data-technician="T-100"]')
    card.locator("input[name=time]").fill("16:00")
    card.locator("input[name=reason]").fill("left at four, the kiosk was busy")
    card.locator("button[type=submit]").click()
    page.wait_for_selector("text=Correction c1 recorded")
    assert page.locator('div[data-code="missing_clock_out"][data-technician="T-100"]').count() == 0
    page.goto(f"{server}/technicians/T-100/day/2026-03-03")
    assert "left at four, the kiosk was busy" in page.locator("#audit").inner_text()
    page.screenshot(path=artifacts / "corrected-day.png", full_page=True)
    page.close()


def test_a_week_not_submitted_and_still_running_is_not_approved(browser, server, artifacts):
    """The company approves submitted weeks once they are over (approving them from the
    queue: test_approvals_browser.py)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _login(page, server, "sam")
    page.goto(f"{server}/technicians/T-100/week/2026-03-02")
    page.click("text=Approve week")
    page.wait_for_selector('[data-field="week"]')
    assert "has not submitted the week of Mar 02" in page.locator('[data-field="week"]').inner_text()
    assert page.locator("#week-status").inner_text() == "open"
    page.screenshot(path=artifacts / "refused-approval.png", full_page=True)
    page.close()


def test_check_in_to_a_work_order_on_a_phone(browser, server, artifacts):
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.clock.install(time=NOW)  # the phone's clock agrees with the hub's (the page stamps each check-in)
    page = phone.new_page()
    _login(page, server, "maria")
    page.wait_for_selector("#work-order")
    page.screenshot(path=artifacts / "phone-day.png", full_page=True)
    page.select_option("select[name=work_order]", "WO-7")
    page.click("#work-order button[type=submit]:visible")
    page.wait_for_selector("text=Checked in to WO-7")
    assert "On site: WO-7" in page.locator("#work-order").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page must not scroll sideways on a phone"
    page.screenshot(path=artifacts / "phone-checked-in.png", full_page=True)
    page.select_option("select[name=next_status]", "resolved")
    page.fill("textarea[name=note]", "replaced the capacitor")
    page.click("#work-order button[type=submit]:visible")
    page.wait_for_selector("text=Checked out of WO-7: resolved")
    phone.close()




def test_payroll_previews_an_export_and_sees_the_result(browser, server, artifacts):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    _login(page, server, "pat")
    page.click("header >> text=Exports")
    page.fill("input[name=day]", "2026-03-04")
    page.select_option("select[name=format]", "generic")
    page.check("input[name=preview]")
    page.click("#export-form button[type=submit]")
    page.wait_for_selector("#export-result")
    assert page.locator("#export-result").get_attribute("data-preview") == "yes"
    assert page.locator("#export-result tr[data-file]").count() == 2
    assert page.locator("#export-result code.checksum").first.inner_text().strip().isalnum()
    assert page.locator("#past-exports tr[data-export]").count() == 1
    page.screenshot(path=artifacts / "export-preview.png", full_page=True)
    page.goto(f"{server}/reports/work-orders?start=2026-03-02&end=2026-03-08")
    assert page.locator("svg.chart rect[data-series=cost]").count() == 1
    page.screenshot(path=artifacts / "work-order-report.png", full_page=True)
    page.close()
