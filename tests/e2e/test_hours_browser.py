"""Hours without punches in headless Chromium (issue 19): from a phone-sized window a
technician enters 1:30 of Training on Tuesday with a reason, is told what was wrong first,
and finds the hours in the week's Hours only column, with the reason and who entered them."""

from __future__ import annotations

from tests.fakes.browser import log_in
from tests.integration.web.company import PASSWORD


def test_enter_hours_without_punches_from_the_phone(browser, server, artifacts):
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, server, "maria", PASSWORD)
    page.goto(f"{server}/me/week?week=2026-03-02")
    page.click("#enter-hours")
    page.fill("input[name=day]", "2026-03-03")
    page.fill("input[name=duration]", "25")
    page.select_option("select[name=category]", label="Training (non-billable)")
    page.fill("textarea[name=reason]", "forklift safety course at the supplier")
    page.click("#add-hours >> button")
    page.wait_for_selector('[data-field="duration"]', state="visible")  # 25 hours: refused, named
    page.fill("input[name=duration]", "1:30")
    page.click("#add-hours >> button")
    row = page.locator('#hours-entries tr[data-entry^="h"]')
    row.wait_for()
    assert "forklift safety course at the supplier" in row.inner_text() and "maria" in row.inner_text()
    page.screenshot(path=artifacts / "hours.png", full_page=True)

    page.goto(f"{server}/me/week?week=2026-03-02")
    assert page.locator('[data-entered="2026-03-03"]').inner_text() == "1:30"
    assert "forklift safety course at the supplier" in page.locator("#hours-entries").inner_text()
    page.screenshot(path=artifacts / "week.png", full_page=True)
    assert refused == []
    page.close()
