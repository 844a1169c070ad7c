"""Every page for every role, in headless Chromium, shows its times on the wall clock of
the depot or technician it is about, and names that zone (issue 18). The company is in
Chicago, six hours behind UTC, so a time shown in UTC reads six hours late: the test
knows every instant the database holds and fails on a page that shows one of them on
the UTC clock. The same walk runs axe-core on every page (no serious or critical
violation) and checks its skip link; the main pages are walked again on a phone."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hub.services.exporting import period
from hub.store.base import Base, UtcDateTime
from hub.store.engine import make_engine, session_factory
from hub.store.migrate import upgrade
from hub.store.models import (
    Badge,
    DriveLeg,
    Notification,
    PayPeriodLock,
    PayrollExport,
    Punch,
    TimesheetApproval,
    User,
    VehicleAssignment,
)
from hub.web import db
from tests.fakes.accessibility import PHONE, axe_violations, phone_problems, skip_link_problems
from tests.fakes.browser import log_in, served
from tests.integration.web.company import CHICAGO, MONDAY, NOW, PASSWORD, TODAY, TUESDAY, at, seed
from tests.integration.web.conftest import make_app
from tests.integration.web.test_routes_by_role import OK, PAGES, ROLES

CLOCK_TIME = re.compile(r"(?<![\d:])([01]\d|2[0-3]):[0-5]\d(?![\d:])")
EXTRA = {  # pages of other days than today, where the seeded history shows
    "maria": ["/me/?day=2026-03-02", "/me/?day=2026-03-03", "/me/week?week=2026-03-02"],
    "sam": ["/technicians/T-100/day/2026-03-02", "/technicians/T-100/week/2026-03-02",
            "/timeline?day=2026-03-02", "/technicians/T-101/day/2026-03-02", "/punches/flagged?flag=needs_approval"],
}


def seed_history(url: str, settings) -> None:
    """Decisions, a lock, an export, an enrolled badge, a leg nobody drove and a driver named
for another at odd minutes of the evening,
    when Chicago's date is not UTC's."""
    engine = make_engine(url)
    with session_factory(engine).begin() as s:
        users = {u.username: u.id for u in s.scalars(select(User))}
        week = MONDAY
        s.add_all([
            TimesheetApproval(technician_id="T-100", week_start=week, level="technician", decision="submitted",
                              decided_by=users["maria"], decided_at=at(TUESDAY, 9, 17)),
            TimesheetApproval(technician_id="T-100", week_start=week, level="supervisor", decision="rejected",
                              decided_by=users["sam"], decided_at=at(TUESDAY, 19, 23), reason="Tuesday has no end"),
            PayPeriodLock(period_start=date(2026, 2, 9), period_end=date(2026, 2, 22), locked_by=users["pat"],
                          locked_at=at(MONDAY, 20, 41)),
            PayrollExport(period_start=period(settings, TODAY).start, period_end=period(settings, TODAY).end,
                          format="generic", preview=True, exported_at=at(TUESDAY, 21, 52), exported_by="pat",
                          user_id=users["pat"], technicians=2, left_out=0),
            Badge(badge_id="C0FFEE01", technician_id="T-101", family="pcsc", raw="c0ffee01",
                  active_from=at(MONDAY, 22, 37)),
            Notification(user_id=users["sam"], kind="device_offline", key="device_offline:kiosk:kiosk-north-1:x",
                         email="sam@example.com", subject="Kiosk North door (North Depot) offline", body_text="…",
                         created_at=at(TUESDAY, 22, 13), status="sent", attempts=1,
                         last_attempt_at=at(TUESDAY, 22, 14), sent_at=at(TUESDAY, 22, 14)),
            # a leg nobody drove, and a driver a supervisor named for another
            DriveLeg(vehicle_id="van-12", start_at=at(TUESDAY, 20, 13), end_at=at(TUESDAY, 20, 48), distance_km=8.0,
                     built_at=at(TUESDAY, 20, 49)),
            VehicleAssignment(vehicle_id="van-12", technician_id="T-101", starts_at=at(MONDAY, 18, 7),
                              ends_at=at(MONDAY, 18, 31), reason="after hours", recorded_by=users["sam"],
                              recorded_at=at(TUESDAY, 21, 19)),
            # flagged punches: a phone's clock-in outside every geofence, a PIN clock-out waiting for approval
            Punch(id=uuid.uuid4(), kiosk_id="kiosk-north-1", seq=7, at=at(MONDAY, 20, 29), utc_offset_min=-360,
                  received_at=at(MONDAY, 20, 29), action="clock_out", technician_id="T-101", clock_synced=True,
                  boot="b", monotonic_s=7.0, flags=["pin", "needs_approval"], depot_id="north"),
            Punch(id=uuid.uuid4(), source="phone", at=at(MONDAY, 18, 53), utc_offset_min=-360,
                  received_at=at(MONDAY, 18, 53), action="clock_in", technician_id="T-101", flags=["outside_geofence"],
                  lat=41.9, lon=-87.68, accuracy_m=25.0),
        ])
    engine.dispose()


def instants(url: str) -> set[datetime]:
    """Every date-time the database holds, and the app's now."""
    engine = make_engine(url)
    found = {NOW}
    with session_factory(engine)() as s:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, UtcDateTime):
                    found |= {v for v in s.scalars(select(column)) if v is not None}
    engine.dispose()
    return found


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('zones') / 'hub.db'}"
    upgrade(url)
    seed(url)
    app = make_app(url, WTF_CSRF_ENABLED=True, TESTING=False)
    seed_history(url, app.config["HUB_SETTINGS"])
    with served(app) as base:
        yield base, instants(url)
    db.dispose(app)


def utc_only_clocks(known: set[datetime]) -> set[str]:
    """HH:MM of an instant on the UTC clock that no instant shows on Chicago's."""
    utc = {f"{t.astimezone(timezone.utc):%H:%M}" for t in known}
    return utc - {f"{t.astimezone(CHICAGO):%H:%M}" for t in known}


def check_page(page, url: str, known: set[datetime]) -> list[str]:
    """What is wrong with the times on the page open at `url`."""
    wrong = []
    text = page.evaluate("""() => { const main = document.querySelector('main').cloneNode(true);
        main.querySelectorAll('.hm').forEach(e => e.remove()); document.body.append(main);
        const text = main.innerText; main.remove(); return text; }""")
    utc_only = utc_only_clocks(known)
    for shown in CLOCK_TIME.finditer(text):
        if shown.group(0) in utc_only:
            wrong.append(f"{url}: {shown.group(0)} is a time on the UTC clock: …{text[max(0, shown.start() - 60):shown.end() + 20]}…")
    zone_note = page.locator("#zone")
    page_zone = zone_note.get_attribute("data-zone") if zone_note.count() else None
    times = page.locator("time[datetime]")
    if (times.count() or CLOCK_TIME.search(text)) and page_zone is None:
        wrong.append(f"{url}: shows times but does not name their zone")
    for i in range(times.count()):
        element = times.nth(i)
        zone, shown = element.get_attribute("data-zone"), element.inner_text()
        instant = datetime.fromisoformat(element.get_attribute("datetime"))
        wall = instant.astimezone(ZoneInfo(zone))
        if wall.utcoffset() != instant.utcoffset():
            wrong.append(f"{url}: {instant} is not written in {zone}")
        if ":" in shown and f"{wall:%H:%M}" not in shown:
            wrong.append(f"{url}: {shown!r} is not {instant} in {zone}")
        if zone != page_zone and wall.tzname() not in shown:
            wrong.append(f"{url}: {shown!r} is in {zone}, not the page's {page_zone}, and does not say so")
    if page_zone is not None and page_zone not in zone_note.inner_text():
        wrong.append(f"{url}: the zone note does not name {page_zone}")
    return wrong


def test_the_seed_puts_utc_and_local_clocks_apart(company):
    _, known = company
    assert {"15:40", "01:23", "03:52", "04:37", "02:41"} <= utc_only_clocks(known)  # a leg's end, the history's
    assert NOW - timedelta(hours=6) < max(known) <= NOW + timedelta(days=1)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_shows_times_in_its_zone_and_passes_axe(browser, company, username, artifacts):
    base, known = company
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    log_in(page, base, username, PASSWORD)
    page.wait_for_selector("#zone")
    urls = [url for url, statuses in PAGES.items()
            if statuses[ROLES.index(username)] == OK and not url.endswith((".csv", ".svg", ".pdf", ".js"))
            and url != "/board/live"]  # the board's table alone (on /board); PDFs: test_printed_timesheets.py
    wrong = []
    for url in urls + EXTRA.get(username, []):
        response = page.goto(base + url)
        assert response.status == 200, url
        wrong += check_page(page, url, known) + axe_violations(page, url) + skip_link_problems(page, url)
    page.screenshot(path=artifacts / "last-page.png", full_page=True)
    page.close()
    assert not wrong, "\n".join(wrong)


# the pages a role lives on, walked on a phone (the rest of each role's pages: the walk above)
MAIN = ["/me/", "/me/week", "/board", "/timeline", "/technicians", "/technicians/T-100/day/2026-03-03",
        "/technicians/T-100/week/2026-03-03", "/approvals/", "/team/", "/exceptions", "/legs/driverless", "/vehicles/", "/work-orders/",
        "/work-orders/WO-7", "/payroll/", "/payroll/exports/", "/reports/utilisation", "/admin/", "/admin/technicians/"]


@pytest.mark.parametrize("username", ROLES)
def test_the_main_pages_fit_a_phone(browser, company, username, artifacts):
    """At 390x844 the page never scrolls sideways and the menu takes at most two rows;
    a screenshot of each page is kept for a person to look at."""
    base, _ = company
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, base, username, PASSWORD)
    page.wait_for_selector("#zone")
    wrong = []
    for url in [u for u in MAIN if PAGES[u][ROLES.index(username)] == OK]:
        assert page.goto(base + url).status == 200, url
        wrong += phone_problems(page, url)
        page.screenshot(path=artifacts / f"{url.strip('/').replace('/', '-') or 'home'}.png", full_page=True)
    page.close()
    assert not wrong, "\n".join(wrong)


def test_a_refused_form_names_its_field_and_is_announced(browser, company, artifacts):
    """A refused login and a refused correction: each error is tied to its field
    (aria-invalid, aria-describedby) and listed in a summary with role=alert; the skip
    link is the first thing the keyboard reaches and moves focus to the content."""
    base, _ = company
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{base}/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.locator("a.skip").bounding_box()["y"] >= 0, "the focused skip link is seen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    log_in(page, base, "nobody", "wrong")
    wrong = axe_violations(page, "/login refused")
    password = page.locator("input[name=password]")
    assert password.get_attribute("aria-invalid") == "true"
    message = page.locator(f"#{password.get_attribute('aria-describedby')}")
    assert "do not match" in message.inner_text()
    summary = page.locator("[role=alert]")
    assert message.inner_text() in summary.inner_text()
    assert summary.locator("a").get_attribute("href") == f"#{message.get_attribute('id')}"
    page.screenshot(path=artifacts / "login-refused.png", full_page=True)

    log_in(page, base, "sam", PASSWORD)
    page.goto(f"{base}/exceptions")
    card = page.locator('div[data-code="missing_clock_out"][data-technician="T-100"]')
    card.locator("input[name=time]").fill("16:00")
    card.locator("button[type=submit]").click()  # no reason
    page.wait_for_selector("[role=alert]")
    wrong += axe_violations(page, "/exceptions refused")
    card = page.locator('div[data-code="missing_clock_out"][data-technician="T-100"]')
    reason = card.locator("input[name=reason]")
    assert reason.get_attribute("aria-invalid") == "true"
    assert card.locator("input[name=time]").get_attribute("aria-invalid") is None
    message = page.locator(f"#{reason.get_attribute('aria-describedby')}")
    assert "reason" in message.inner_text().lower()
    assert message.inner_text() in page.locator("[role=alert]").inner_text()
    page.screenshot(path=artifacts / "correction-refused.png", full_page=True)
    assert page.goto(f"{base}/technicians/T-404/day/2026-03-03").status == 404
    wrong += axe_violations(page, "a page not found") + skip_link_problems(page, "a page not found")
    page.close()
    assert not wrong, "\n".join(wrong)
