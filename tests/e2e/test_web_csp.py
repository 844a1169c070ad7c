"""The Content-Security-Policy (issue 22) still lets every page work in a real browser:
the stylesheet and the pages' style attributes apply, and Chromium reports no violation."""

from __future__ import annotations

from tests.e2e.test_web_browser import _login

PAGES = ["/board", "/timeline?day=2026-03-02", "/exceptions", "/technicians/T-100/week/2026-03-02",
         "/reports/utilisation?start=2026-03-02&end=2026-03-08", "/admin/users/", "/work-orders/WO-7"]


def test_the_pages_work_under_the_policy(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.goto(f"{server}/login")
    assert page.eval_on_selector(".card", "e => getComputedStyle(e).maxWidth") == "420px"  # a style attribute
    assert page.eval_on_selector("header", "e => getComputedStyle(e).backgroundColor") == "rgb(13, 34, 56)"
    _login(page, server, "ada")
    page.wait_for_selector("header a")
    for path in PAGES:
        response = page.goto(f"{server}{path}")
        assert response.status == 200, path
        assert "default-src 'none'" in response.headers["content-security-policy"]
    assert refused == []
    page.close()
