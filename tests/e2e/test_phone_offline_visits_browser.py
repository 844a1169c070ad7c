"""Check-ins, check-outs and timers made on the phone with no network, in headless Chromium
(issue 19): Maria, at work since 07:00, checks in to WO-7 and out of it and starts a Shop
timer while offline; they wait on the phone in one queue with her punches, through a
reload, and reach the hub once each, in the order made, when the network is back, and
no more after another reload."""

from __future__ import annotations

from collections import Counter

from hub.store.models import DeadLetter, WorkOrderVisit
from tests.e2e.phone_server import CONTROLLED, open_phone_app, phone_server  # noqa: F401  (the fixture)
from tests.fakes.browser import log_in
from tests.integration.web.company import PASSWORD, stored


def _from_the_phone(url: str) -> list[WorkOrderVisit]:
    """Maria's visits made with a client request id (the seeded ones have none of their own)."""
    return sorted((v for v in stored(url, WorkOrderVisit) if v.request_digest), key=lambda v: v.check_in_at)


def test_check_ins_and_a_timer_made_offline_arrive_once_each(browser, phone_server, tmp_path, artifacts):  # noqa: F811
    base, url, clock = phone_server
    refused: list[str] = []
    context, page = open_phone_app(browser, tmp_path / "phone", clock, refused)

    def waiting() -> list[list[str]]:
        return [t.split(" · ") for t in page.locator("#waiting li").all_inner_texts()]

    try:
        log_in(page, base, "maria", PASSWORD)
        page.wait_for_selector("#clock-state >> text=At work")
        page.evaluate(CONTROLLED)
        page.goto(f"{base}/me/timer/")  # the timer's page kept too, for use offline
        page.wait_for_selector("text=No timer running")
        page.goto(f"{base}/me/")

        context.set_offline(True)
        page.reload()
        page.select_option("form[data-kind=check_in] select[name=work_order]", "WO-7")
        page.click("form[data-kind=check_in] button")
        page.wait_for_selector("#waiting li >> text=Check in")
        page.wait_for_selector("[data-headline=visit] >> text=On site: WO-7 since")  # as the hub will have it
        page.select_option("select[name=next_status]", "resolved")
        page.click("form[data-kind=check_out] button")
        page.wait_for_selector("#waiting li >> text=Check out")
        assert page.is_visible("form[data-kind=check_in]")
        page.goto(f"{base}/me/timer/")  # from the service worker's copy
        page.select_option("select[name=target]", "category:non-billable:shop")
        page.click("form[data-kind=timer_start] button")
        page.wait_for_selector("#waiting li >> nth=2")
        page.reload()
        page.wait_for_selector("#waiting li >> nth=2")
        kept = waiting()
        assert [(item[0], item[1]) for item in kept] == [("Check in", "WO-7"), ("Check out", "Resolved"),
                                                         ("Start", "Shop (non-billable)")]
        assert {item[-1] for item in kept} == {"waiting to send"}
        page.wait_for_selector("[data-group=timer][data-state=running]:visible")
        page.screenshot(path=artifacts / "1-offline-waiting.png", full_page=True)
        assert _from_the_phone(url) == []

        context.set_offline(False)  # sent in order; the page then shows what the hub made of them
        page.wait_for_selector(".flash >> text=Timer started on")
        page.wait_for_selector("[data-running='non-billable:shop']")
        assert page.is_hidden("#queue")
        page.reload()
        page.goto(f"{base}/me/")
        page.wait_for_selector("#work-order >> text=Timer: Shop since")
        assert page.locator("#waiting li").count() == 0
        page.screenshot(path=artifacts / "2-sent.png", full_page=True)
    finally:
        context.close()

    visits = _from_the_phone(url)
    assert [(v.work_order_id, v.category_id, v.next_status, v.check_out_at is not None) for v in visits] == [
        ("WO-7", None, "resolved", True), (None, "non-billable:shop", None, False)]
    assert set(Counter(v.request_id for v in visits).values()) == {1}
    assert visits[0].check_out_request_id and visits[0].check_in_at <= visits[0].check_out_at <= visits[1].check_in_at
    assert all(v.check_in_at < clock() for v in visits)  # stamped when pressed, not when sent
    assert stored(url, DeadLetter) == [] and refused == []
