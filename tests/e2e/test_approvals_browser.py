"""The approvals queue and the team timesheet in headless Chromium (issue 18): on the
Monday after a week, a supervisor approves the clean weeks in bulk, confirms a week with
exceptions, and prints the team timesheet."""

from __future__ import annotations

import pytest

from hub.store.migrate import upgrade
from hub.web import db
from tests.fakes.browser import log_in, served
from tests.integration.web.company import PASSWORD, seed
from tests.integration.web.conftest import make_app
from tests.integration.web.test_approvals_queue import add_clean_week
from tests.integration.web.test_supervisor import NEXT_MONDAY


@pytest.fixture
def server(tmp_path):
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    upgrade(url)
    seed(url)
    add_clean_week(url)
    app = make_app(url, WTF_CSRF_ENABLED=True, TESTING=False, CLOCK=lambda: NEXT_MONDAY)
    with served(app) as base:
        yield base
    db.dispose(app)


def _as(browser, base: str, username: str):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    log_in(page, base, username, PASSWORD)
    page.wait_for_selector("#zone")
    return page


def _submit(browser, base: str, username: str, week: str) -> None:
    page = _as(browser, base, username)
    page.goto(f"{base}/me/week?week={week}")
    page.click("text=Submit my week")
    page.wait_for_selector("text=submitted for approval")
    page.close()


def test_approve_the_clean_weeks_then_one_with_exceptions(browser, server, artifacts):
    _submit(browser, server, "james", "2026-02-23")
    _submit(browser, server, "maria", "2026-03-02")
    page = _as(browser, server, "sam")
    page.click("header >> text=Approvals")
    page.wait_for_selector("#queue")
    page.screenshot(path=artifacts / "queue.png", full_page=True)
    assert page.locator('tr[data-clean="yes"] input[type=checkbox]').count() == 1
    page.click("text=Approve the ticked weeks")
    page.wait_for_selector("text=Approved 1 week: James Carter (Feb 23)")
    page.locator('tr[data-week="T-100/2026-03-02"] >> text=Review and approve').click()
    page.click("text=Approve week")
    page.wait_for_selector("#confirm-approval")
    assert page.locator('#confirm-approval li[data-code="missing_clock_out"]').count() >= 1
    page.screenshot(path=artifacts / "confirm.png", full_page=True)
    page.click("text=Approve anyway")
    page.wait_for_selector("text=approved for Maria Lopez")
    assert page.locator("#week-status").inner_text() == "approved"
    page.click("header >> text=Approvals")
    page.wait_for_selector("text=Nothing waits for you.")
    page.close()


def test_the_team_timesheet_prints_without_the_menus(browser, server, artifacts):
    page = _as(browser, server, "sam")
    page.click("header >> text=Team")
    page.wait_for_selector("#team")
    page.goto(f"{server}/team/?week=2026-03-02")
    page.screenshot(path=artifacts / "team.png", full_page=True)
    page.emulate_media(media="print")
    assert not page.locator("header").is_visible() and not page.locator("text=CSV").is_visible()
    assert page.locator("#team").is_visible() and page.locator("#zone").is_visible()
    page.pdf(path=artifacts / "team.pdf", landscape=True)
    assert page.evaluate("document.querySelector('#team').scrollWidth <= document.querySelector('main').clientWidth")
    page.close()
