"""The report pages (issue 8): a chart drawn as SVG on the server and the same figures as
CSV, for supervisors, payroll and admins over their own depots only; a technician gets 403.

The seeded company: Maria (T-100, north) worked Monday 7:00-16:00 with a half-hour meal,
drove 40 minutes to WO-7 (Lakeview Dental, billable) and was on site 3.5 hours; her cost
rate is 40 and her billing rate 125. Sofia (T-200) works in the south depot."""

from __future__ import annotations

import csv
import io

import pytest

REPORTS = ("/reports/utilisation", "/reports/work-orders", "/reports/overtime", "/reports/neutrality", "/reports/mileage")


def _csv(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("report", REPORTS)
def test_each_report_is_a_page_with_an_svg_chart_and_a_csv_for_supervisors_payroll_and_admins(client, auth, report):
    for username in ("sam", "pat", "ada"):
        auth.login(username)
        page = client.get(report)
        assert page.status_code == 200, (username, report)
        html = page.get_data(as_text=True)
        assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart' in html
        assert "<script" not in html
        assert f'href="{report}.csv' in html
        assert client.get(f"{report}.csv").status_code == 200
        auth.logout()


@pytest.mark.parametrize("report", REPORTS)
def test_a_technician_may_not_read_reports(client, auth, report):
    auth.login("maria")
    assert client.get(report).status_code == 403
    assert client.get(f"{report}.csv").status_code == 403


def test_work_order_time_and_cost_at_each_technicians_rates(client, auth):
    """WO-7: 0.67 h driving + 3.50 h on site = 4 h 10 min; at 40/h 166.67, billed at 125/h 520.83."""
    auth.login("sam")
    rows = _csv(client, "/reports/work-orders.csv?start=2026-03-02&end=2026-03-08")
    assert rows == [{"work_order": "WO-7", "customer": "Lakeview Dental", "billable": "yes", "technicians": "1",
                     "drive_hours": "0.67", "on_site_hours": "3.50", "hours_only_hours": "0.00", "cost": "166.67",
                     "billable_value": "520.83"}]
    customers = _csv(client, "/reports/work-orders.csv?start=2026-03-02&end=2026-03-08&by=customer")
    assert customers[0]["customer"] == "Lakeview Dental" and customers[0]["cost"] == "166.67"
    page = client.get("/reports/work-orders?start=2026-03-02&end=2026-03-08").get_data(as_text=True)
    assert 'data-work-order="WO-7"' in page and "520.83" in page
    auth.logout()
    auth.login("sue")  # south: none of Maria's work orders
    assert _csv(client, "/reports/work-orders.csv?start=2026-03-02&end=2026-03-08") == []


def test_utilisation_per_technician_and_team_against_the_target(client, auth):
    auth.login("sam")
    rows = _csv(client, "/reports/utilisation.csv?day=2026-03-04&weeks=8&target=75")
    monday = [r for r in rows if r["technician_id"] == "T-100" and r["week_start"] == "2026-03-02"]
    assert monday and monday[0]["target"] == "0.75" and monday[0]["team"] == "north"
    assert any(r["technician_id"] == "" and r["team"] == "north" for r in rows)  # the team's row
    assert {r["team"] for r in rows} == {"north"}
    page = client.get("/reports/utilisation?day=2026-03-04").get_data(as_text=True)
    assert 'class="target"' in page and 'data-technician="T-100"' in page and "T-200" not in page


def test_a_supervisor_sees_only_their_depots(client, auth):
    auth.login("sue")
    overtime = _csv(client, "/reports/overtime.csv?day=2026-03-04&weeks=2")
    assert {r["depot"] for r in overtime} == {"south"}
    neutrality = _csv(client, "/reports/neutrality.csv?start=2026-03-02&end=2026-03-08")
    assert [r["technician_id"] for r in neutrality] == ["T-200", ""]
    for report in REPORTS:
        page = client.get(report).get_data(as_text=True)
        assert "T-100" not in page and "Maria" not in page, report
    auth.logout()
    auth.login("sam")
    neutrality = _csv(client, "/reports/neutrality.csv?start=2026-03-02&end=2026-03-08")
    assert [r["technician_id"] for r in neutrality] == ["T-100", "T-101", ""]
    overtime = _csv(client, "/reports/overtime.csv?day=2026-03-04&weeks=2")
    assert {r["depot"] for r in overtime} == {"north"} and overtime[0]["worked_hours"] == "24.67"


@pytest.mark.parametrize("url, field", [
    ("/reports/utilisation?weeks=99", "weeks"), ("/reports/utilisation?target=120", "target"),
    ("/reports/overtime?day=someday", "day"), ("/reports/work-orders?start=2026-03-08&end=2026-03-02", "end"),
    ("/reports/neutrality?start=x", "start"),
])
def test_bad_input_is_named_next_to_its_field(client, auth, url, field):
    auth.login("pat")
    response = client.get(url)
    assert response.status_code == 422
    assert f'data-field="{field}"' in response.get_data(as_text=True)


def test_mileage_per_technician_van_and_work_order_in_either_unit(client, auth):
    """Monday 14 km depot to WO-7; Tuesday 20 km depot to a site with no work order (other business)."""
    auth.login("sam")
    rows = _csv(client, "/reports/mileage.csv?start=2026-03-02&end=2026-03-08&unit=km")
    by = {(r["group"], r["key"]): r for r in rows}
    maria = by[("technician", "T-100")]
    assert (maria["legs"], maria["on_work_orders"], maria["other_business"], maria["commute"], maria["total"],
            maria["unit"]) == ("2", "14.0", "20.0", "0.0", "34.0", "km")
    assert by[("van", "van-12")]["total"] == "34.0"
    assert by[("work order", "WO-7")]["on_work_orders"] == "14.0"
    miles = _csv(client, "/reports/mileage.csv?start=2026-03-02&end=2026-03-08&unit=mile")
    assert {r["total"] for r in miles if r["key"] == "T-100"} == {"21.1"}  # 34 km / 1.609344, to the tenth
    page = client.get("/reports/mileage?start=2026-03-02&end=2026-03-08&unit=km").get_data(as_text=True)
    assert 'id="mileage-van"' in page and "34.0 km" in page
    bad = client.get("/reports/mileage?unit=furlong")
    assert bad.status_code == 422 and "give mile or km" in bad.get_data(as_text=True)
    auth.logout()
    auth.login("sue")  # south: none of Maria's driving
    assert _csv(client, "/reports/mileage.csv?start=2026-03-02&end=2026-03-08") == []
