"""The approvals queue (issue 18): the weeks waiting for me with hours, overtime and open
exceptions; bulk approval of the clean ones; a week with open exceptions asks first; an
unsubmitted week is approved only when the company says so; a running week not at all."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from hub.store.engine import make_engine, session_factory
from hub.store.models import TimesheetApproval, WorkOrderVisit
from tests.integration.web.company import CHICAGO, at, punch, stored
from tests.integration.web.conftest import make_app
from tests.integration.web.test_supervisor import NEXT_MONDAY

LAST_TUESDAY = date(2026, 2, 24)


def add_clean_week(url: str) -> None:
    """James's week of 23 February: one morning on WO-8, every minute accounted for."""
    engine = make_engine(url)
    with session_factory(engine).begin() as s:
        s.add_all([punch("T-101", "clock_in", at(LAST_TUESDAY, 8)), punch("T-101", "clock_out", at(LAST_TUESDAY, 12))])
        s.add(WorkOrderVisit(request_id="v-feb", technician_id="T-101", work_order_id="WO-8",
                             check_in_at=at(LAST_TUESDAY, 8), check_out_at=at(LAST_TUESDAY, 12), source="web"))
    engine.dispose()


def submit(client, auth, username: str, week: str) -> None:
    auth.login(username)
    assert client.post("/me/week/submit", data={"week": week}).status_code == 302
    auth.logout()


@pytest.fixture
def waiting(app, client, auth, seeded):
    """Monday 9 March: James's clean week and Maria's week with exceptions, both submitted."""
    add_clean_week(seeded[0])
    app.config["CLOCK"] = lambda: NEXT_MONDAY
    submit(client, auth, "james", "2026-02-23")
    submit(client, auth, "maria", "2026-03-02")
    return seeded[0]


def _decided(url: str) -> set[tuple[str, str, str]]:
    return {(r.technician_id, r.week_start.isoformat(), r.decision) for r in stored(url, TimesheetApproval)
            if r.decision != "submitted"}


def test_the_queue_shows_each_weeks_hours_overtime_and_open_exceptions(client, auth, waiting):
    auth.login("sam")
    page = client.get("/approvals/").data.decode()
    assert 'data-week="T-101/2026-02-23" data-clean="yes"' in page
    assert 'data-week="T-100/2026-03-02" data-clean="no"' in page
    james = page[page.index('data-week="T-101/2026-02-23"'):page.index('data-week="T-100/2026-03-02"')]
    assert ">4:00<" in james and "submitted" in james
    assert 'name="week" value="T-100/2026-03-02"' not in page  # not offered for bulk approval
    auth.logout()
    auth.login("sue")  # another depot's supervisor
    assert "T-101" not in client.get("/approvals/").data.decode()


def test_bulk_approval_approves_the_clean_weeks_only(client, auth, waiting):
    auth.login("sam")
    response = client.post("/approvals/bulk", data={"week": ["T-101/2026-02-23", "T-100/2026-03-02", "T-200/2026-03-02",
                                                             "nonsense"]})
    assert response.status_code == 302
    assert _decided(waiting) == {("T-101", "2026-02-23", "approved")}
    page = client.get("/approvals/").data.decode()
    assert "Approved 1 week: James Carter (Feb 23)" in page
    assert "Not approved: T-100, week of Mar 02: the week of Mar 02 has" in page and "open exception" in page
    assert "Not approved: T-200" in page  # not sam's
    assert 'data-week="T-101/2026-02-23"' not in page  # done, gone from the queue


def test_a_week_with_open_exceptions_asks_before_it_is_approved(client, auth, waiting):
    auth.login("sam")
    asked = client.post("/technicians/T-100/approve", data={"week": "2026-03-02", "next": "queue"})
    page = asked.data.decode()
    assert asked.status_code == 200 and 'id="confirm-approval"' in page
    assert 'data-code="missing_clock_out"' in page and _decided(waiting) == set()
    done = client.post("/technicians/T-100/approve", data={"week": "2026-03-02", "next": "queue", "confirm": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/approvals/")
    assert _decided(waiting) == {("T-100", "2026-03-02", "approved")}


def test_a_running_week_cannot_be_approved(app, client, auth):
    submit(client, auth, "maria", "2026-03-02")  # today is Wednesday 4 March
    auth.login("sam")
    page = client.get("/approvals/").data.decode()
    assert 'data-week="T-100/2026-03-02" data-clean="no"' in page and "(still running)" in page
    refused = client.post("/technicians/T-100/approve", data={"week": "2026-03-02", "confirm": "yes"})
    assert refused.status_code == 422 and b"still running until the end of Sun Mar 08" in refused.data


def test_an_unsubmitted_week_is_approved_only_when_the_company_allows_it(app, client, auth, seeded):
    app.config["CLOCK"] = lambda: NEXT_MONDAY
    auth.login("sam")
    refused = client.post("/technicians/T-100/approve", data={"week": "2026-03-02", "confirm": "yes"})
    assert refused.status_code == 422 and b"has not submitted the week of Mar 02" in refused.data
    allowing = make_app(seeded[0], approve_unsubmitted=True, CLOCK=lambda: NEXT_MONDAY)
    other = allowing.test_client()
    other.post("/login", data={"username": "sam", "password": "correct horse battery"})
    assert other.post("/technicians/T-100/approve", data={"week": "2026-03-02", "confirm": "yes"}).status_code == 302
    assert _decided(seeded[0]) == {("T-100", "2026-03-02", "approved")}


@pytest.mark.parametrize("app", [2], indirect=True)
def test_payroll_sees_the_weeks_the_supervisor_approved(client, auth, waiting):
    auth.login("pat")
    assert 'data-week="T-101/2026-02-23"' not in client.get("/approvals/").data.decode()  # waits for sam
    auth.logout()
    auth.login("sam")
    client.post("/approvals/bulk", data={"week": "T-101/2026-02-23"})
    auth.logout()
    auth.login("pat")
    page = client.get("/approvals/").data.decode()
    assert 'data-week="T-101/2026-02-23" data-clean="yes"' in page and "approved by supervisor" in page
    client.post("/approvals/bulk", data={"week": "T-101/2026-02-23"})
    assert ("T-101", "2026-02-23", "approved") in _decided(waiting)
    assert 'data-week="T-101/2026-02-23"' not in client.get("/approvals/").data.decode()


def test_the_confirm_page_and_queue_show_times_on_the_local_clock(client, auth, waiting):
    """Maria's Tuesday without a clock-out: its 07:00 in Chicago is 13:00 UTC."""
    auth.login("sam")
    page = client.post("/technicians/T-100/approve", data={"week": "2026-03-02"}).data.decode()
    assert datetime(2026, 3, 3, 7, tzinfo=CHICAGO).isoformat() in page
