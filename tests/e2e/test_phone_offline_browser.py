"""The technician's pages as an app with no network, in headless Chromium (issue 19): the
day opens from the service worker's copy; a break taken and ended offline waits on the
phone (IndexedDB), listed, through a reload, and is sent once the network is back; a
clock-out made offline, the browser then closed, is sent when the app is opened again.
Each punch is stored once, at the time it was pressed, whatever was sent twice."""

from __future__ import annotations

from collections import Counter

from hub.store.models import DeadLetter, Punch
from tests.e2e.phone_server import CONTROLLED, open_phone_app, phone_server  # noqa: F401  (the fixture)
from tests.fakes.browser import log_in
from tests.integration.web.company import PASSWORD, stored

SHOWN = "#clock .steps:visible"


def _phone_punches(url: str) -> list[Punch]:
    return sorted((p for p in stored(url, Punch) if p.source == "phone"), key=lambda p: p.at)


def test_punches_made_offline_arrive_once_each(browser, phone_server, tmp_path, artifacts):  # noqa: F811
    base, url, clock = phone_server
    refused: list[str] = []

    def open_app():
        return open_phone_app(browser, tmp_path / "phone", clock, refused)

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
