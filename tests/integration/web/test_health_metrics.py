"""Health, readiness and /metrics: liveness without a database, readiness only at the
migration head, metrics that parse and match the store (also after ingest stores more),
and who may read them. The board shows silent devices as offline."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from depotclock.wire.codec import encode
from depotclock.wire.messages import DeviceState, Fix, Telemetry, VehicleStatus
from depotclock.wire.topics import vehicle_topic
from hub.ingest.store_batch import Received, store_batch
from hub.services.accounts import create_token
from hub.settings import MonitoringSettings
from hub.store.engine import make_engine, session_factory
from hub.store.migrate import upgrade
from hub.store.models import DeadLetter, Punch, TelemetryEvent, User
from hub.web import db
from hub.web.health import head_revision
from tests.integration.ingest.messages import kiosk_status, punch
from tests.integration.web.company import NOW, TODAY, at, stored
from tests.integration.web.conftest import make_app


@pytest.fixture
def make(request):
    apps = []

    def build(url: str, **config):
        app = make_app(url, **config)
        apps.append(app)
        return app.test_client()

    yield build
    for app in apps:
        db.dispose(app)


def _token(url: str, username: str) -> str:
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        user = session.query(User).filter_by(username=username).one()
        _, token = create_token(session, user, "prometheus", NOW)
    engine.dispose()
    return token


def _scrape(client, token: str) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.data
    assert response.content_type.startswith("text/plain")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def _device(kind: str, device: str) -> tuple:
    return tuple(sorted({"kind": kind, "device": device, "depot": "north"}.items()))


def test_healthz_answers_without_a_database_and_readyz_says_why_not(make, tmp_path):
    client = make(f"sqlite:///{tmp_path / 'no such directory' / 'hub.db'}")
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["reason"].startswith("the database does not answer")
    assert "no such directory" not in response.json["reason"]  # no paths or URLs to the world


def test_readyz_at_the_head(make, migrated_url):
    response = make(migrated_url).get("/readyz")
    assert (response.status_code, response.json) == (200, {"status": "ready", "revision": head_revision()})


def test_readyz_refuses_an_empty_database(make, database_url):
    response = make(database_url).get("/readyz")
    assert response.status_code == 503
    assert "no DepotClock tables" in response.json["reason"] and "init-db" in response.json["reason"]


def test_readyz_refuses_a_database_behind_the_code(make, database_url):
    from alembic.script import ScriptDirectory

    from hub.store.migrate import MIGRATIONS

    older = ScriptDirectory(str(MIGRATIONS)).get_revision(head_revision()).down_revision
    upgrade(database_url, older)
    response = make(database_url).get("/readyz")
    assert response.status_code == 503
    assert f"at revision {older}" in response.json["reason"] and "hub upgrade" in response.json["reason"]


def test_metrics_need_an_admin_token_or_an_allowed_address(make, seeded):
    url = seeded[0]
    client = make(url)
    refused = client.get("/metrics")
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {_token(url, 'sam')}"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": f"Bearer {_token(url, 'ada')}"}).status_code == 200
    client.post("/login", data={"username": "ada", "password": "correct horse battery"})
    assert client.get("/metrics").status_code == 401  # a login cookie is not a scraper's credential

    allowed = make_app(url)
    allowed.config["HUB_SETTINGS"] = allowed.config["HUB_SETTINGS"].model_copy(
        update={"monitoring": MonitoringSettings(metrics_allow=["10.0.0.0/8", "127.0.0.1"])})
    try:
        assert allowed.test_client().get("/metrics").status_code == 200  # the test client is 127.0.0.1
        assert allowed.test_client().get(
            "/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 401
    finally:
        db.dispose(allowed)


def test_metrics_match_the_store_and_follow_what_ingest_stores(make, seeded):
    url = seeded[0]
    client, token = make(url), _token(url, "ada")
    before = _scrape(client, token)
    assert before[("depotclock_stored_events_total", (("kind", "punch"),))] == len(stored(url, Punch))
    assert before[("depotclock_stored_events_total", (("kind", "telemetry_item"),))] == len(stored(url, TelemetryEvent))
    kiosk, van = _device("kiosk", "kiosk-north-1"), _device("vehicle", "van-12")
    assert before[("depotclock_device_last_seen_timestamp_seconds", kiosk)] == at(TODAY, 13, 59).timestamp()
    assert before[("depotclock_device_online", kiosk)] == 1
    assert before[("depotclock_device_online", van)] == 0  # never seen: no last-seen sample either
    assert ("depotclock_device_last_seen_timestamp_seconds", van) not in before

    fixes = tuple(Fix(id=uuid.uuid4(), seq=n, at=NOW - timedelta(seconds=120 - n), lat=41.9, lon=-87.6,
                      speed_kmh=0.0) for n in range(1, 4))
    parked = VehicleStatus(id=uuid.uuid4(), device="van-12", seq=3, at=NOW - timedelta(hours=3),
                           state=DeviceState.ONLINE, ignition_on=False, backlog=7)
    messages = [punch(n, kiosk="kiosk-north-1") for n in range(1, 4)] + [
        (vehicle_topic("van-12", "telemetry"),
         encode(Telemetry(id=uuid.uuid4(), device="van-12", seq=1, at=NOW, items=fixes))),
        (vehicle_topic("van-12", "status"), encode(parked)),
        kiosk_status(NOW - timedelta(minutes=20), backlog=2, kiosk="kiosk-north-1"),  # older: ignored
        (vehicle_topic("van-12", "telemetry"), b"{not json"),
        ("depotclock/v1/toaster/t-1/punch", b"{}"),
    ]
    engine = make_engine(url)
    store_batch(engine, [Received(topic, payload, NOW) for topic, payload in messages], now=NOW)
    engine.dispose()

    after = _scrape(client, token)
    assert after[("depotclock_stored_events_total", (("kind", "punch"),))] == \
        before[("depotclock_stored_events_total", (("kind", "punch"),))] + 3
    assert after[("depotclock_stored_events_total", (("kind", "telemetry_item"),))] == \
        before[("depotclock_stored_events_total", (("kind", "telemetry_item"),))] + 3
    dead = {labels[0][1]: value for (name, labels), value in after.items() if name == "depotclock_dead_letters_total"}
    assert dead == {"telemetry": 1, "topic": 1} and sum(dead.values()) == len(stored(url, DeadLetter))
    assert after[("depotclock_device_last_seen_timestamp_seconds", van)] == fixes[-1].at.timestamp()
    assert after[("depotclock_device_online", van)] == 1  # its GPS heartbeat, though its status is old
    assert after[("depotclock_vehicle_parked", van)] == 0
    assert after[("depotclock_device_backlog", van)] == 7
    assert after[("depotclock_device_last_seen_timestamp_seconds", kiosk)] == at(TODAY, 13, 59).timestamp()

    later = make(url, CLOCK=lambda: NOW + timedelta(hours=2))  # both silent since
    silent = _scrape(later, token)
    assert silent[("depotclock_device_online", kiosk)] == 0
    assert silent[("depotclock_device_online", van)] == 0 and silent[("depotclock_vehicle_parked", van)] == 1


def test_the_board_shows_a_silent_kiosk_offline(make, seeded):
    url = seeded[0]
    now_client = make(url)
    now_client.post("/login", data={"username": "sam", "password": "correct horse battery"})
    page = now_client.get("/board").get_data(as_text=True)
    assert 'data-device="kiosk-north-1"' in page
    assert _presence(page, "kiosk-north-1") == "online" and _presence(page, "van-12") == "never seen"

    later = make(url, CLOCK=lambda: NOW + timedelta(minutes=6))  # over the kiosk's 300 s
    later.post("/login", data={"username": "sam", "password": "correct horse battery"})
    assert _presence(later.get("/board").get_data(as_text=True), "kiosk-north-1") == "offline"


def _presence(page: str, device: str) -> str:
    row = page[page.index(f'data-device="{device}"'):]
    return row[row.index('data-presence="') + len('data-presence="'):].split('"', 1)[0]


def test_the_board_says_what_a_device_reports_broken(make, seeded):
    url = seeded[0]
    broken = VehicleStatus(id=uuid.uuid4(), device="van-12", seq=1, at=NOW - timedelta(seconds=30),
                           state=DeviceState.ONLINE, ignition_on=True, gps_ok=False,
                           gps_error="the GPS thread has ended: <ValueError>", obd_ok=False,
                           odometer_km=48213.4, clock_synced=True)
    engine = make_engine(url)
    store_batch(engine, [Received(vehicle_topic("van-12", "status"), encode(broken), NOW)], now=NOW)
    engine.dispose()
    client = make(url)
    client.post("/login", data={"username": "sam", "password": "correct horse battery"})
    page = client.get("/board").get_data(as_text=True)
    van = page[page.index('data-device="van-12"'):].split("</tr>", 1)[0]
    assert 'data-faults="2"' in van
    assert "GPS: the GPS thread has ended: &lt;ValueError&gt;" in van  # the device's words, escaped
    assert "OBD-II adapter or car: not answering" in van and "odometer 48,213 km" in van
    kiosk = page[page.index('data-device="kiosk-north-1"'):].split("</tr>", 1)[0]
    assert 'data-faults="0"' in kiosk and "working" in kiosk
