"""Issue 18: drive legs with no driver, listed for a supervisor's vans with times on the
depot's clock, and the form that names the driver: a correction (a new assignment covering
the leg, with who, when and why), never an edit; hostile input refused naming the field."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from hub.store.engine import make_engine, session_factory
from hub.store.models import Correction, DriveLeg, LegRebuildRequest, User, Vehicle, VehicleAssignment
from hub.web import db
from tests.integration.web.company import MONDAY, TODAY, at, page_text, stored
from tests.integration.web.conftest import make_app


@pytest.fixture
def legs(seeded) -> dict[str, int]:
    """Two legs nobody drove today: van-12's (north) and van-30's (south)."""
    engine = make_engine(seeded[0])
    with session_factory(engine).begin() as session:
        session.add(Vehicle(id="van-30", name="Van 30", depot_id="south"))
        session.flush()
        made = {van: DriveLeg(vehicle_id=van, start_at=at(TODAY, 8, 5), end_at=at(TODAY, 8, 35), distance_km=9.5,
                              origin_kind="depot", destination_kind="other", built_at=at(TODAY, 9))
                for van in ("van-12", "van-30")}
        session.add_all(made.values())
        session.flush()
        ids = {van: leg.id for van, leg in made.items()}
        ids["assigned"] = session.scalar(select(DriveLeg.id).where(DriveLeg.start_at == at(MONDAY, 7, 20)))
    engine.dispose()
    return ids


def _corrections(url: str) -> list[VehicleAssignment]:
    return [row for row in stored(url, VehicleAssignment) if row.reason is not None]


def test_a_supervisor_names_the_driver_of_a_leg_of_their_van(client, auth, seeded, legs):
    auth.login("sam")
    page = page_text(client.get("/legs/driverless"))
    assert f'data-leg="{legs["van-12"]}"' in page and f'data-leg="{legs["van-30"]}"' not in page  # south's
    assert "08:05" in page and "08:35" in page and "Times in America/Chicago" in page  # the depot's clock
    response = client.post(f"/legs/{legs['van-12']}/driver", data={
        "technician_id": "T-101", "work_order_number": "WO-7", "reason": "moved before the assignment began"})
    assert response.status_code == 302
    (row,) = _corrections(seeded[0])
    (sam,) = [u.id for u in stored(seeded[0], User) if u.username == "sam"]
    assert (row.vehicle_id, row.technician_id, row.starts_at, row.ends_at, row.recorded_by) == (
        "van-12", "T-101", at(TODAY, 8, 5), at(TODAY, 8, 35), sam)
    (attach,) = stored(seeded[0], Correction)
    assert (attach.technician_id, attach.kind, attach.replaces_id, attach.values) == (
        "T-101", "attach_leg", f"leg-{legs['van-12']}", {"work_order": "WO-7"})
    assert [(r.vehicle_id, r.reason) for r in stored(seeded[0], LegRebuildRequest)] == [("van-12", "assignment")]
    (leg,) = [leg for leg in stored(seeded[0], DriveLeg) if leg.id == legs["van-12"]]
    assert leg.technician_id is None  # the ingest attributes it again: nothing is edited here
    page = page_text(client.get("/legs/driverless"))
    assert 'data-named="T-101"' in page and "moved before the assignment began" in page and "James Carter" in page
    auth.logout()
    auth.login("ada")  # an admin sees every depot's vans
    page = client.get("/legs/driverless").data.decode()
    assert f'data-leg="{legs["van-30"]}"' in page


def _refused(client, url: str, field: str | None, status: int = 422, **form) -> str:
    response = client.post(url, data=form)
    assert response.status_code == status, (url, form, response.status_code)
    page = response.data.decode()
    if field:
        assert f'data-field="{field}"' in page, page
    return page


def test_hostile_input_is_refused_naming_the_field_and_nothing_is_written(client, auth, seeded, legs):
    north = f"/legs/{legs['van-12']}/driver"
    good = {"technician_id": "T-101", "reason": "r"}
    auth.login("sam")
    for bad in ("/legs/0/driver", "/legs/99999999999999999999/driver", f"/legs/{legs['van-30']}/driver"):
        _refused(client, bad, None, 404, **good)  # no such leg, or another depot's van
    assert client.post("/legs/x/driver", data=good).status_code == 404
    page = _refused(client, north, "reason", technician_id="T-101", reason="  ", work_order_number="WO-7")
    assert re.search(r'<option value="T-101" selected', page) and 'value="WO-7"' in page  # what was typed stays
    _refused(client, north, "technician_id", technician_id="", reason="r")
    _refused(client, north, "technician_id", technician_id="T-200", reason="r")  # south's: not sam's to see
    _refused(client, north, "technician_id", technician_id="T" * 5000, reason="r")
    _refused(client, north, "technician_id", technician_id="T-1\x00", reason="r")
    _refused(client, north, "work_order", work_order_number="WO-90", **good)  # south's work order
    _refused(client, north, "work_order", work_order_number="WO\x00", **good)
    _refused(client, north, "reason", reason="x" * 2001, technician_id="T-101")
    _refused(client, north, "reason", reason="why\x00", technician_id="T-101")
    _refused(client, f"/legs/{legs['assigned']}/driver", "leg", **good)  # T-100 drove it
    auth.logout()
    auth.login("ada")
    page = _refused(client, north, "technician_id", technician_id="T-200", reason="r")
    assert "not a technician of van-12" in page  # another depot's technician
    auth.logout()
    auth.login("pat")  # payroll sees the vans' legs in the API, but does not name drivers
    assert client.post(north, data=good).status_code == 403
    assert _corrections(seeded[0]) == [] and stored(seeded[0], Correction) == []
    assert stored(seeded[0], LegRebuildRequest) == []


@pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)  # the form, not the store
def test_naming_a_driver_needs_the_forms_csrf_token(seeded, legs):
    app = make_app(seeded[0], WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").data.decode()).group(1)
    client.post("/login", data={"username": "sam", "password": "correct horse battery", "csrf_token": token})
    url = f"/legs/{legs['van-12']}/driver"
    assert client.post(url, data={"technician_id": "T-101", "reason": "r"}).status_code == 400
    page = client.get("/legs/driverless").data.decode()
    token = re.search(rf'action="{url}"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(url, data={"technician_id": "T-101", "reason": "r", "csrf_token": token}).status_code == 302
    engine = make_engine(seeded[0])
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(VehicleAssignment)
                                 .where(VehicleAssignment.reason.is_not(None))) == 1
    engine.dispose()
    db.dispose(app)
