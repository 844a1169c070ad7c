"""The live board keeps itself current in a real browser (issue 18): a punch that reaches
the hub shows on a board left open, without reloading the page; no hidden `?refresh=`."""

from __future__ import annotations

import pytest

from hub.store.engine import make_engine, session_factory
from hub.store.migrate import upgrade
from hub.web import db
from tests.fakes.browser import log_in, served
from tests.integration.web.company import PASSWORD, TODAY, at, punch, seed
from tests.integration.web.conftest import make_app


@pytest.fixture
def hub(tmp_path):
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    upgrade(url)
    seed(url)
    app = make_app(url, WTF_CSRF_ENABLED=True, TESTING=False, WALL_CACHE_SECONDS=0.5)  # the board polls each 1 s
    with served(app) as base:
        yield base, url
    db.dispose(app)


def arrives(url: str, *punches) -> None:
    """Punches stored as the ingest stores them: by another process, behind the web's back."""
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        session.add_all(punches)
    engine.dispose()


def test_the_board_updates_itself_when_a_punch_arrives(browser, hub, artifacts):
    base, url = hub
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    log_in(page, base, "sam", PASSWORD)
    page.wait_for_selector('#board tr[data-technician="T-101"][data-state="on_break"]')
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    page.evaluate("window.stillTheSamePage = true")
    arrives(url, punch("T-101", "break_end", at(TODAY, 13, 55)))
    page.wait_for_selector('#board tr[data-technician="T-101"][data-state="clocked_in"]', timeout=15_000)
    assert page.evaluate("window.stillTheSamePage") is True  # swapped in, not reloaded
    assert page.locator("#live-board.stale").count() == 0
    page.screenshot(path=artifacts / "board-updated.png", full_page=True)
    page.close()
