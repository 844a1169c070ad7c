"""The maps (issue 20) in headless Chromium: a technician's day and a van's day show the
legs on Leaflet with their stops and geofences, a click on a leg tells its times, distance
and attribution; an admin places a depot's geofence by clicking the map. Tiles come from a
local server, so no test needs the network, and the pages stay within their CSP."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import update

import hub.web
from hub.settings import HubSettings
from hub.store.engine import make_engine, session_factory
from hub.store.migrate import upgrade
from hub.store.models import Depot, TelemetryEvent, WorkOrder
from hub.web import create_app, db
from tests.fakes.browser import log_in, served
from tests.integration.web.company import MONDAY, NOW, PASSWORD, at, seed

TILE = (Path(hub.web.__file__).parent / "static/leaflet/images/layers.png").read_bytes()
SITE = (41.95, -87.65)  # WO-7, where Monday's 07:20-08:00 leg from the north depot ends


@pytest.fixture
def tiles():
    """A tile server on a free local port; the paths it was asked for."""
    asked: list[str] = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  (the stdlib's name)
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(TILE)))
            self.end_headers()
            self.wfile.write(TILE)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", asked
    server.shutdown()
    thread.join(10)


def _drive(url: str) -> None:
    """Fixes along Monday's leg, and WO-7's site."""
    engine = make_engine(url)
    with session_factory(engine)() as s:
        start, batch = at(MONDAY, 7, 20), uuid.uuid4()
        depot = s.get(Depot, "north")
        for i in range(41):
            f = i / 40
            s.add(TelemetryEvent(id=uuid.uuid4(), vehicle_id="van-12", batch_id=batch, seq=i,
                                 at=start + timedelta(minutes=i), utc_offset_min=-360, received_at=start, type="fix",
                                 lat=depot.lat + (SITE[0] - depot.lat) * f, lon=depot.lon + (SITE[1] - depot.lon) * f,
                                 speed_kmh=30.0))
        s.execute(update(WorkOrder).where(WorkOrder.id == "WO-7").values(lat=SITE[0], lon=SITE[1], radius_m=120.0))
        s.commit()
    engine.dispose()


@pytest.fixture
def server(tmp_path, tiles):
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    upgrade(url)
    seed(url)
    _drive(url)
    settings = HubSettings(database_url=url, mqtt_url="mqtt://hub:x@127.0.0.1:1883", timezone="America/Chicago",
                           map_tiles=f"{tiles[0]}/{{z}}/{{x}}/{{y}}.png", map_attribution="test tiles")
    app = create_app(settings, {"SECRET_KEY": "test", "CLOCK": lambda: NOW})
    with served(app) as base:
        yield base, url
    db.dispose(app)


def test_legs_stops_and_geofences_on_the_map_and_a_geofence_placed_by_clicking(browser, server, tiles, artifacts):
    server, url = server
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: refused.append(str(e)))
    log_in(page, server, "sam", PASSWORD)
    page.goto(f"{server}/technicians/T-100/day/2026-03-02")
    page.wait_for_selector(".day-map path.leg")
    assert page.locator(".day-map path.leg").count() == 1
    assert page.locator(".day-map path.fence-depot").count() == 1 and page.locator(".day-map path.fence-site").count() == 1
    page.wait_for_selector(".day-map img.leaflet-tile-loaded")
    assert tiles[1] and all(p.endswith(".png") for p in tiles[1])
    assert "test tiles" in page.inner_text(".day-map .leaflet-control-attribution")
    page.locator(".day-map path.leg").click()
    popup = page.wait_for_selector(".leaflet-popup-content")
    words = popup.inner_text()
    assert "07:20–08:00 (America/Chicago)" in words and "14.0 km in van-12" in words
    assert "Driver: Maria Lopez (assigned to the van)" in words and "Work order: WO-7 (" in words
    page.screenshot(path=artifacts / "technician-day-map.png", full_page=True)

    page.goto(f"{server}/vehicles/van-12/day/2026-03-02")
    page.wait_for_selector(".day-map path.leg")
    assert page.locator("#legs tr[data-leg]").count() == 1
    page.screenshot(path=artifacts / "van-day-map.png", full_page=True)

    admin = browser.new_page(viewport={"width": 1400, "height": 900})
    admin.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(admin, server, "ada", PASSWORD)
    admin.goto(f"{server}/admin/depots/north")
    admin.wait_for_selector(".fence-map path.fence-edit")
    before = float(admin.input_value("input[name=lat]")), float(admin.input_value("input[name=lon]"))
    box = admin.locator(".fence-map").bounding_box()
    assert box is not None
    admin.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.2)  # north-east of the depot
    after = float(admin.input_value("input[name=lat]")), float(admin.input_value("input[name=lon]"))
    assert after[0] > before[0] and after[1] > before[1]
    admin.fill("input[name=geofence_radius_m]", "300")
    admin.screenshot(path=artifacts / "geofence-editor.png", full_page=True)
    admin.click(".card button[type=submit]")
    admin.wait_for_selector("text=Saved north.")
    engine = make_engine(url)
    with session_factory(engine)() as s:
        depot = s.get(Depot, "north")
        assert (round(depot.lat, 6), round(depot.lon, 6), depot.geofence_radius_m) == (*after, 300.0)
    engine.dispose()
    assert refused == []
    page.close()
    admin.close()
