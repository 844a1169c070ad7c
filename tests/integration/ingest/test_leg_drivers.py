"""Issue 18: a van that moved with no assignment leaves legs nobody drove; a supervisor
names the driver (and work order) as a correction, the ingest attributes the leg again,
and the leg's drive time counts in that technician's timesheet for that work order.
The per-van legs (issue 20 #6) say how each driver and work order was decided."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hub.ingest.requested_rebuilds import rebuild_requested
from hub.services import leg_drivers
from hub.services.problems import Invalid
from hub.services.records import timesheets
from hub.services.scope import Viewer
from hub.services.van_legs import van_legs
from hub.settings import PayrollSettings
from hub.store.engine import make_engine, session_factory
from hub.store.models import Correction, DriveLeg, Kiosk, VehicleAssignment
from tests.integration.ingest.company import enroll_company
from tests.integration.ingest.test_drive_legs import NOW, _legs, _messages, _store
from tests.integration.web.company import punch
from tests.unit.ingest.drives import T0, recorded_day

SUPERVISOR = Viewer(1, "payroll", "supervisor", None, frozenset({"north"}))  # user 1 is enrolled
REASON = "van left the yard before James's assignment began"


@pytest.fixture
def engine(migrated_url):
    engine = make_engine(migrated_url)
    yield engine
    engine.dispose()


def test_a_named_driver_makes_the_leg_count_in_their_timesheet(engine):
    enroll_company(engine, vans={"van-4": "motion"})  # no assignment: nobody drove it
    _store(engine, _messages("van-4", recorded_day(False, driver=None), 1000))
    with session_factory(engine).begin() as session:
        session.add(Kiosk(id="kiosk-north-1", name="North door", depot_id="north"))
        session.flush()
        session.add_all([punch("T-101", "clock_in", T0 - timedelta(hours=1)),
                         punch("T-101", "clock_out", T0 + timedelta(hours=9))])
    with session_factory(engine)() as session:
        listed = leg_drivers.driverless_legs(session, SUPERVISOR, NOW)
    assert [leg.vehicle_id for leg in listed] == ["van-4", "van-4"]
    first = listed[-1]  # newest first
    assert first.start.tzinfo == ZoneInfo("America/Chicago") and first.named is None

    with session_factory(engine).begin() as session:
        leg_drivers.name_driver(session, SUPERVISOR, PayrollSettings(), first.id, "T-101", "WO-7", REASON, NOW)
    with session_factory(engine)() as session:
        (named,) = leg_drivers.driverless_legs(session, SUPERVISOR, NOW)[-1:]
        assert named.named == "T-101"  # listed as being applied until the ingest has
        with pytest.raises(Invalid, match="already named"):
            leg_drivers.name_driver(session, SUPERVISOR, PayrollSettings(), first.id, "T-100", None, REASON, NOW)
        (row,) = session.scalars(select(VehicleAssignment))
        assert (row.reason, row.recorded_by, row.recorded_at, row.starts_at) == (REASON, 1, NOW, first.start)

    assert rebuild_requested(engine, NOW).requests == 1
    assert [leg[11:] for leg in _legs(engine, "van-4")] == [
        ("T-101", "correction", "WO-7", "geofence"), (None, None, None, None)]
    with session_factory(engine)() as session:
        assert session.get(DriveLeg, first.id).technician_id == "T-101"  # the same leg, attributed
        assert [leg.id for leg in leg_drivers.driverless_legs(session, SUPERVISOR, NOW)] == [listed[0].id]
        (sheet,) = timesheets(session, PayrollSettings(), first.start.date(), first.start.date(), ["T-101"], as_of=NOW)
        (day,) = [d for d in sheet.timesheet.days if d.date == first.start.date()]
        assert day.drive == {"WO-7": int((first.end - first.start).total_seconds() * 1_000_000)}
        found = van_legs(session, SUPERVISOR, "van-4", first.start.date(), first.start.date())
        assert [(leg.driver, leg.driver_decided_by, leg.work_order, leg.work_order_decided_by)
                for leg in found.legs] == [("T-101", "supervisor_correction", "WO-7", "supervisor_correction"),
                                           (None, "none", None, "none")]
        assert found.source == "motion" and found.zone == "America/Chicago"
        (attach,) = session.scalars(select(Correction))
        assert (attach.kind, attach.replaces_id, attach.reason) == ("attach_leg", f"leg-{first.id}", REASON)
