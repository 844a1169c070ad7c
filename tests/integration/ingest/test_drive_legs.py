"""Drive legs built by ingest from a recorded van day (yard idling, a fuel stop, a tunnel,
a site, the way back) are the same whatever order and batches the telemetry came in, for
a wired van and a van without an ignition wire; each leg has its driver and work order."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from depotclock.wire.codec import encode
from depotclock.wire.messages import Telemetry
from depotclock.wire.topics import vehicle_topic
from hub.ingest.requested_rebuilds import rebuild_requested
from hub.ingest.store_batch import Received, store_batch
from hub.store.engine import make_engine, session_factory
from hub.store.leg_requests import request_leg_rebuild
from hub.store.models import DriveLeg, WorkOrderVisit
from tests.integration.ingest.company import enroll_company
from tests.unit.ingest.drives import T0, recorded_day

NOW = datetime(2026, 3, 3, tzinfo=timezone.utc)
WIRED, UNWIRED = ("van-1", "van-2", "van-3"), ("van-4", "van-5")


def _messages(van: str, items: list, size: int) -> list[tuple[str, bytes]]:
    """The van's journal forwarded `size` items per message, oldest first."""
    out = []
    for n in range(0, len(items), size):
        chunk = tuple(items[n:n + size])
        out.append((vehicle_topic(van, "telemetry"), encode(Telemetry(
            id=uuid.uuid4(), device=van, seq=n, at=chunk[-1].at, items=chunk))))
    return out


def _shuffled(messages: list, rng: random.Random) -> list[list]:
    """Batches of random size in random order, some messages delivered twice."""
    messages = messages + rng.sample(messages, 5)
    rng.shuffle(messages)
    batches = []
    while messages:
        size = rng.randint(1, 12)
        batches.append(messages[:size])
        messages = messages[size:]
    return batches


def _legs(engine, van: str) -> list[tuple]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(DriveLeg.start_at, DriveLeg.end_at, DriveLeg.start_lat, DriveLeg.start_lon,
                   DriveLeg.end_lat, DriveLeg.end_lon, DriveLeg.distance_km, DriveLeg.origin_kind,
                   DriveLeg.origin_ref, DriveLeg.destination_kind, DriveLeg.destination_ref,
                   DriveLeg.technician_id, DriveLeg.driver_source, DriveLeg.work_order_id,
                   DriveLeg.work_order_source)
            .where(DriveLeg.vehicle_id == van).order_by(DriveLeg.start_at)
        ).all()
    return [tuple(r) for r in rows]


def _store(engine, batch) -> None:
    store_batch(engine, [Received(topic, payload, NOW) for topic, payload in batch], now=NOW)


def test_legs_are_the_same_in_one_go_and_in_any_order(migrated_url):
    engine = make_engine(migrated_url)
    enroll_company(engine, vans={**dict.fromkeys(WIRED, "ignition"), **dict.fromkeys(UNWIRED, "motion")},
                   assigned=dict.fromkeys(UNWIRED, "T-102"))
    with session_factory(engine).begin() as session:  # Maria checks in at the site
        session.add(WorkOrderVisit(request_id="r1", technician_id="T-100", work_order_id="WO-7",
                                   check_in_at=T0 + timedelta(minutes=57), source="web"))
    days = {van: recorded_day(van in WIRED, seed=n, driver="DEADBEEF" if van in WIRED else None)
            for n, van in enumerate(WIRED + UNWIRED)}
    _store(engine, _messages("van-1", days["van-1"], 1000))  # in one go
    _store(engine, _messages("van-4", days["van-4"], 1000))
    interleaved = []
    for van, seed in (("van-2", 1), ("van-3", 2), ("van-5", 3)):
        interleaved += _messages(van, days[van], random.Random(seed).randint(3, 30))
    for batch in _shuffled(interleaved, random.Random(6)):
        _store(engine, batch)

    wired, unwired = _legs(engine, "van-1"), _legs(engine, "van-4")
    assert [(leg[7:11], leg[11:]) for leg in wired] == [
        (("depot", "north", "site", "WO-7"), ("T-100", "badge", "WO-7", "check_in")),
        (("site", "WO-7", "depot", "north"), ("T-100", "badge", None, None)),
    ]
    assert [(leg[7:11], leg[11:]) for leg in unwired] == [
        (("depot", "north", "site", "WO-7"), ("T-102", "assignment", "WO-7", "geofence")),
        (("site", "WO-7", "depot", "north"), ("T-102", "assignment", None, None)),
    ]
    assert _legs(engine, "van-2") == _legs(engine, "van-3") == wired
    assert _legs(engine, "van-5") == unwired
    engine.dispose()


def test_late_telemetry_from_a_dead_zone_rebuilds_the_affected_leg(migrated_url):
    engine = make_engine(migrated_url)
    enroll_company(engine, vans={"van-1": "ignition"})
    day = recorded_day(seed=9)
    fuel_off = next(n for n, item in enumerate(day) if item.type == "ignition" and not item.on
                    and item.at > T0 + timedelta(minutes=30))
    early, late = day[:fuel_off + 1], day[fuel_off + 1:]
    _store(engine, _messages("van-1", early, 50))
    (to_fuel,) = _legs(engine, "van-1")  # the van stopped: a leg to the fuel station, so far
    assert to_fuel[9] == "other"
    _store(engine, _messages("van-1", late, 50))
    legs = _legs(engine, "van-1")
    assert [leg[9:11] for leg in legs] == [("site", "WO-7"), ("depot", "north")]
    assert legs[0][0] == to_fuel[0]  # the fuel stop merged into the leg it began
    engine.dispose()


def test_telemetry_of_a_van_the_hub_does_not_know_is_stored_without_legs(migrated_url):
    engine = make_engine(migrated_url)
    enroll_company(engine)
    _store(engine, _messages("van-9", recorded_day(), 500))
    assert _legs(engine, "van-9") == []
    engine.dispose()


def test_a_check_in_made_after_the_van_stopped_confirms_the_work_order(migrated_url):
    engine = make_engine(migrated_url)
    enroll_company(engine, vans={"van-1": "ignition"})
    day = recorded_day(seed=4)
    arrived = next(item.at for item in day if item.type == "ignition" and not item.on
                   and item.at > T0 + timedelta(minutes=50))
    _store(engine, _messages("van-1", [i for i in day if i.at <= arrived + timedelta(minutes=10)], 20))
    assert [leg[13:] for leg in _legs(engine, "van-1")] == [("WO-7", "geofence")]  # no check-in yet
    with session_factory(engine).begin() as session:  # Maria checks in on her phone (the web's writes)
        session.add(WorkOrderVisit(request_id="r1", technician_id="T-100", work_order_id="WO-7",
                                   check_in_at=arrived + timedelta(minutes=6), source="api"))
        request_leg_rebuild(session, "check_in", arrived + timedelta(minutes=6), arrived + timedelta(minutes=6),
                            technician_id="T-100")
    rebuild_requested(engine, NOW)
    assert [leg[13:] for leg in _legs(engine, "van-1")] == [("WO-7", "check_in")]
    _store(engine, _messages("van-1", [i for i in day if i.at > arrived + timedelta(minutes=10)], 20))
    assert [leg[13:] for leg in _legs(engine, "van-1")] == [("WO-7", "check_in"), (None, None)]
    engine.dispose()


def test_a_cab_read_arriving_late_names_the_driver_of_the_legs_after_it(migrated_url):
    engine = make_engine(migrated_url)
    enroll_company(engine, vans={"van-1": "ignition"}, assigned={"van-1": "T-101"})
    day = recorded_day(seed=5)
    read = next(item for item in day if item.type == "driver")
    _store(engine, _messages("van-1", [i for i in day if i is not read], 40))
    assert [leg[11:13] for leg in _legs(engine, "van-1")] == [("T-101", "assignment")] * 2
    _store(engine, _messages("van-1", [read], 1))  # the cab reader's item, late
    assert [leg[11:13] for leg in _legs(engine, "van-1")] == [("T-100", "badge")] * 2
    engine.dispose()
