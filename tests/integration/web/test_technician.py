"""The technician's pages: my day so far, work-order check-in and check-out with the next
status, accounting for a gap and a manual entry (corrections with a reason), my week,
submitting it and seeing why it came back. A technician sees only themself."""

from __future__ import annotations

from datetime import date

from hub.store.models import Correction, WorkOrder, WorkOrderVisit
from tests.integration.web.company import page_text, stored


def test_my_day_so_far_shows_clocked_time_and_exceptions(client, auth):
    auth.login("maria")
    page = page_text(client.get("/me/"))
    assert "Maria Lopez · Wed 04 Mar" in page
    assert 'data-total="clocked">7:00' in page  # in at 07:00, now 14:00
    assert 'data-code="unaccounted_gap"' in page  # nothing recorded since 07:00
    monday = page_text(client.get("/me/?day=2026-03-02"))
    assert 'data-total="worked">8:30' in monday and "WO-7" in monday


def test_check_in_then_out_with_the_next_status_and_a_note(client, auth, seeded):
    auth.login("maria")
    page = client.get("/me/").data.decode()
    assert "WO-7 · Lakeview Dental" in page and "WO-90" not in page  # my assigned ones only
    response = client.post("/me/check-in", data={"work_order": "WO-7"})
    assert response.status_code == 302
    assert "On site: WO-7 since 14:00" in page_text(client.get("/me/"))
    again = client.post("/me/check-in", data={"number": "WO-8"})
    assert again.status_code == 422 and b"check out of WO-7 first" in again.data
    response = client.post("/me/check-out", data={"next_status": "waiting_on_client", "note": "part on order"})
    assert response.status_code == 302
    (visit,) = [v for v in stored(seeded[0], WorkOrderVisit) if v.request_id != "v-mon"]
    assert (visit.work_order_id, visit.next_status, visit.note) == ("WO-7", "waiting_on_client", "part on order")
    status = {w.id: w.status for w in stored(seeded[0], WorkOrder)}
    assert status["WO-7"] == "waiting_on_client"


def test_a_work_order_of_another_depot_or_unknown_is_refused_by_number(client, auth, seeded):
    auth.login("maria")
    for number in ("WO-90", "WO-404"):
        response = client.post("/me/check-in", data={"number": number})
        assert response.status_code == 422
        assert f"no work order {number}".encode() in response.data
    assert [v.request_id for v in stored(seeded[0], WorkOrderVisit)] == ["v-mon"]


def test_a_check_out_needs_its_next_status(client, auth):
    auth.login("maria")
    client.post("/me/check-in", data={"work_order": "WO-7"})
    response = client.post("/me/check-out", data={"next_status": "", "note": ""})
    assert response.status_code == 422 and b'data-field="next_status"' in response.data


def test_accounting_for_a_gap_is_a_correction_with_the_note_as_reason(client, auth, seeded):
    auth.login("maria")
    response = client.post("/me/account", data={"day": "2026-03-04", "start": "07:00", "end": "09:00",
                                                "work_order": "non-billable:shop", "note": "restocked the van"})
    assert response.status_code == 302
    (row,) = stored(seeded[0], Correction)
    assert (row.kind, row.reason, row.values["work_order"], row.values["manual"]) == (
        "add_visit", "restocked the van", "non-billable:shop", True)
    page = client.get("/me/").data.decode()
    assert "Shop" in page and f"✎c{row.id}" in page


def test_a_gap_form_names_each_bad_field_and_saves_nothing(client, auth, seeded):
    auth.login("maria")
    response = client.post("/me/account", data={"day": "2026-03-04", "start": "9ish", "end": "10:00",
                                                "work_order": "WO-7", "note": "x"})
    assert response.status_code == 422 and b'data-field="start"' in response.data
    response = client.post("/me/account", data={"day": "2026-03-04", "start": "10:00", "end": "09:00",
                                                "work_order": "WO-7", "note": "x"})
    assert response.status_code == 422 and b"must end after it starts" in response.data
    response = client.post("/me/account", data={"day": "2026-03-04", "start": "08:00", "end": "09:00",
                                                "work_order": "", "note": ""})
    assert b"Say what the time was for." in response.data
    assert stored(seeded[0], Correction) == []


def test_a_manual_entry_is_marked_manual(client, auth, seeded):
    auth.login("maria")
    response = client.post("/me/manual", data={"day": "2026-03-03", "time": "16:30", "action": "clock_out",
                                               "reason": "forgot to badge out"})
    assert response.status_code == 302
    (row,) = stored(seeded[0], Correction)
    assert (row.kind, row.values["action"], row.values["manual"]) == ("add_punch", "clock_out", True)
    page = page_text(client.get("/me/?day=2026-03-03"))
    assert 'data-total="clocked">9:30' in page and 'data-code="missing_clock_out"' not in page


def test_my_week_submit_and_why_it_came_back(client, auth):
    auth.login("maria")
    page = client.get("/me/week?week=2026-03-02").data.decode()
    assert 'id="week-status">open' in page and "Submit my week" in page
    assert client.post("/me/week/submit", data={"week": "2026-03-02"}).status_code == 302
    assert 'id="week-status">submitted' in client.get("/me/week?week=2026-03-02").data.decode()
    auth.logout()
    auth.login("sam")
    client.post("/technicians/T-100/reject", data={"week": "2026-03-02", "reason": "Tuesday has no clock-out"})
    auth.logout()
    auth.login("maria")
    page = client.get("/me/week?week=2026-03-04").data.decode()
    assert 'id="week-status">returned' in page and "Tuesday has no clock-out" in page


def test_a_technician_sees_only_themself(client, auth, seeded):
    auth.login("james")
    assert "James Carter" in client.get("/me/").data.decode()
    assert client.get("/technicians/T-100/day/2026-03-02").status_code == 403
    response = client.post("/technicians/T-100/corrections", data={
        "kind": "add_punch", "day": "2026-03-03", "time": "16:00", "action": "clock_out", "reason": "x"})
    assert response.status_code == 403
    assert stored(seeded[0], Correction) == []


def test_my_week_shows_holiday_hours_paid_and_worked(client, auth, seeded):
    from hub.services import holidays
    from hub.store.engine import make_engine, session_factory

    engine = make_engine(seeded[0])
    with session_factory(engine)() as session:
        holidays.add_company_day(session, date(2026, 3, 2), "Founders' Day")  # Maria works that Monday
        session.commit()
    engine.dispose()
    auth.login("maria")
    page = page_text(client.get("/me/week?week=2026-03-02"))
    assert 'data-total="week-holiday">Holidays: 8:00 paid, not worked; 8:30 worked on a holiday' in page
