"""What the web changes reaches drive legs with no new telemetry: a check-in added after
the van stopped confirms the leg's work order, an assignment made after the fact names its
driver, a site's geofence removed unplaces it; the legs are those a rebuild from telemetry
gives, and a request survives a crash of the ingest that took it."""

from __future__ import annotations

import random
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from depotclock.mqtt_url import BrokerAddress
from hub.ingest import requested_rebuilds
from hub.ingest.consumer import IngestConsumer
from hub.ingest.drive_legs import rebuild_over
from hub.ingest.requested_rebuilds import rebuild_requested
from hub.services import admin_changes, check_ins
from hub.services.offline_requests import Made
from hub.services.scope import Viewer
from hub.settings import PayrollSettings, PunchingSettings
from hub.store import leg_requests
from hub.store.engine import make_engine, session_factory
from hub.store.models import DriveLeg, Technician, WorkOrder
from tests.integration.ingest.company import enroll_company
from tests.integration.ingest.test_drive_legs import NOW, _legs, _messages, _store
from tests.unit.ingest.drives import T0, recorded_day

ADMIN = Viewer(1, "payroll", "admin", None, None)
CHECK_IN_AT = T0 + timedelta(minutes=57)


def _attribution(engine, van: str) -> list[tuple]:
    return [leg[11:] for leg in _legs(engine, van)]


def _pending(engine) -> int:
    with session_factory(engine)() as session:
        return leg_requests.pending_count(session)


def _drive_day(engine, *vans: str) -> None:
    for van in vans:  # the same day for each van, with item ids of its own
        _store(engine, _messages(van, recorded_day(False, seed=int(van[-1]), driver=None), 1000))


@pytest.fixture
def engine(migrated_url):
    engine = make_engine(migrated_url)
    yield engine
    engine.dispose()


def test_a_check_in_added_on_the_web_confirms_the_legs_work_order(engine):
    enroll_company(engine, vans={"van-4": "motion", "van-5": "motion"},
                   assigned={"van-4": "T-102", "van-5": "T-102"})
    _drive_day(engine, "van-4")  # the whole day, parked for the night: no telemetry follows
    assert _attribution(engine, "van-4")[0] == ("T-102", "assignment", "WO-7", "geofence")

    with session_factory(engine).begin() as session:  # the supervisor adds the missed check-in
        technician = session.get(Technician, "T-102")
        check_ins.check_in(session, ADMIN, PayrollSettings(), PunchingSettings(), technician, "WO-7",
                           Made(CHECK_IN_AT), CHECK_IN_AT)
    assert _pending(engine) == 1

    done = rebuild_requested(engine, NOW)
    assert done.requests == 1
    assert _attribution(engine, "van-4") == [
        ("T-102", "assignment", "WO-7", "check_in"), ("T-102", "assignment", None, None)]
    assert _pending(engine) == 0
    _drive_day(engine, "van-5")  # the same day from telemetry, the check-in already there
    assert _legs(engine, "van-4") == _legs(engine, "van-5")


def test_an_assignment_made_after_the_fact_names_the_legs_driver(engine):
    enroll_company(engine, vans={"van-4": "motion", "van-5": "motion"}, assigned={"van-5": "T-101"})
    _drive_day(engine, "van-4", "van-5")
    assert _attribution(engine, "van-4") == [(None, None, "WO-7", "geofence"), (None, None, None, None)]

    with session_factory(engine).begin() as session:
        admin_changes.assign_vehicle(session, "van-4", "T-101", NOW, since=T0 - timedelta(hours=1))
    rebuild_requested(engine, NOW)
    assert _attribution(engine, "van-4") == [
        ("T-101", "assignment", "WO-7", "geofence"), ("T-101", "assignment", None, None)]
    assert _legs(engine, "van-4") == _legs(engine, "van-5")


def test_a_site_geofence_removed_unplaces_its_legs(engine):
    enroll_company(engine, vans={"van-4": "motion"}, assigned={"van-4": "T-102"})
    _drive_day(engine, "van-4")
    with session_factory(engine).begin() as session:
        admin_changes.save(session, WorkOrder, "WO-7", {"lat": None, "lon": None})
    rebuild_requested(engine, NOW)
    assert [leg[7:11] for leg in _legs(engine, "van-4")] == [
        ("depot", "north", "other", None), ("other", None, "depot", "north")]
    assert _pending(engine) == 0


def test_a_request_survives_a_crash_of_the_ingest_that_took_it(engine, monkeypatch):
    enroll_company(engine, vans={"van-4": "motion"}, assigned={"van-4": "T-102"})
    _drive_day(engine, "van-4")
    with session_factory(engine).begin() as session:
        check_ins.check_in(session, ADMIN, PayrollSettings(), PunchingSettings(), session.get(Technician, "T-102"),
                           "WO-7", Made(CHECK_IN_AT), CHECK_IN_AT)

    def dies(*args, **kwargs):
        raise SystemExit("killed mid-rebuild")

    with monkeypatch.context() as patched:
        patched.setattr(requested_rebuilds, "rebuild_over", dies)
        with pytest.raises(SystemExit):
            rebuild_requested(engine, NOW)
    assert _pending(engine) == 1  # taken, not committed: pending again
    assert _attribution(engine, "van-4")[0][3] == "geofence"

    rebuild_requested(engine, NOW)  # the restarted ingest
    assert _attribution(engine, "van-4")[0][3] == "check_in"
    assert _pending(engine) == 0


@pytest.mark.parametrize("migrated_url", ["postgresql"], indirect=True)  # SQLite: one writer at a time
def test_two_ingest_processes_never_take_the_same_request(engine):
    enroll_company(engine, vans={"van-4": "motion"})
    with session_factory(engine).begin() as session:
        for _ in range(3):
            leg_requests.request_leg_rebuild(session, "assignment", T0, None, vehicle_id="van-4")
    first, second = session_factory(engine)(), session_factory(engine)()
    with first.begin(), second.begin():
        taken = leg_requests.take_pending(first, 2)
        others = leg_requests.take_pending(second, 10)
        assert len(taken) == 2 and len(others) == 1
        assert not {r.id for r in taken} & {r.id for r in others}
    assert _pending(engine) == 0


def test_a_request_must_say_whose_legs_and_from_when(engine):
    enroll_company(engine, vans={"van-4": "motion"})
    with session_factory(engine)() as session:
        with pytest.raises(leg_requests.IncompleteRequest, match="names a vehicle"):
            leg_requests.request_leg_rebuild(session, "check_in", T0, T0)
        with pytest.raises(leg_requests.IncompleteRequest, match="from when"):
            leg_requests.request_leg_rebuild(session, "assignment", None, None, vehicle_id="van-4")
        with pytest.raises(leg_requests.IncompleteRequest, match="not a leg rebuild reason"):
            leg_requests.request_leg_rebuild(session, "whim", T0, None, vehicle_id="van-4")


def test_a_rebuilt_leg_keeps_its_id_so_corrections_naming_it_still_apply(engine):
    enroll_company(engine, vans={"van-4": "motion"}, assigned={"van-4": "T-102"})
    _drive_day(engine, "van-4")
    with engine.connect() as connection:
        before = connection.execute(select(DriveLeg.id).order_by(DriveLeg.start_at)).scalars().all()
    with session_factory(engine).begin() as session:
        check_ins.check_in(session, ADMIN, PayrollSettings(), PunchingSettings(), session.get(Technician, "T-102"),
                           "WO-7", Made(CHECK_IN_AT), CHECK_IN_AT)
    rebuild_requested(engine, NOW)
    with engine.connect() as connection:
        after = connection.execute(select(DriveLeg.id).order_by(DriveLeg.start_at)).scalars().all()
    assert after == before and _attribution(engine, "van-4")[0][3] == "check_in"


@pytest.mark.broker
def test_the_running_ingest_takes_a_request_between_batches(broker, engine):
    enroll_company(engine, vans={"van-4": "motion"}, assigned={"van-4": "T-102"})
    _drive_day(engine, "van-4")
    consumer = IngestConsumer(BrokerAddress.from_url(broker.url("hub")), engine)
    runner = threading.Thread(target=consumer.run, daemon=True)
    runner.start()
    try:
        assert consumer.subscribed.wait(30)
        with session_factory(engine).begin() as session:
            check_ins.check_in(session, ADMIN, PayrollSettings(), PunchingSettings(), session.get(Technician, "T-102"),
                               "WO-7", Made(CHECK_IN_AT), CHECK_IN_AT)
        deadline = time.monotonic() + 30
        while _attribution(engine, "van-4")[0][3] != "check_in" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _attribution(engine, "van-4")[0] == ("T-102", "assignment", "WO-7", "check_in")
        assert _pending(engine) == 0
    finally:
        consumer.stop()
        runner.join(10)


def test_a_rebuild_over_any_span_gives_the_legs_a_build_from_telemetry_gave(engine):
    """Spans that start or end inside a leg, a fuel stop or a parked stretch, and open ones:
    the window around each is cut-aligned, so no leg is split, lost or doubled."""
    enroll_company(engine, vans={"van-1": "ignition", "van-4": "motion"}, assigned={"van-4": "T-102"})
    _store(engine, _messages("van-1", recorded_day(True, seed=1), 1000))
    _drive_day(engine, "van-4")
    built = {van: _legs(engine, van) for van in ("van-1", "van-4")}
    rng = random.Random(7)
    for _ in range(12):
        since = T0 + timedelta(minutes=rng.randint(-60, 240))
        until = None if rng.random() < 0.25 else since + timedelta(minutes=rng.randint(0, 90))
        with session_factory(engine).begin() as session:
            rebuild_over(session, {"van-1": (since, until), "van-4": (since, until)}, NOW)
        assert {van: _legs(engine, van) for van in built} == built, (since, until)
