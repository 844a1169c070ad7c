"""Supervisor and payroll pages: the board, the team timeline, day and week timesheets
with corrected figures marked and the audit trail, the exceptions inbox fixed in place,
corrections that always need a reason, approvals, locks; nobody edits a locked week."""

from __future__ import annotations

from datetime import datetime

import pytest

from hub.store.models import Correction, PayPeriodLock, TimesheetApproval
from tests.integration.web.company import CHICAGO, page_text, stored

FIX_CLOCK_OUT = {"kind": "add_punch", "day": "2026-03-03", "time": "16:00", "action": "clock_out",
                 "reason": "left at four, forgot to badge"}
NEXT_MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=CHICAGO)
APPROVE = {"week": "2026-03-02", "confirm": "yes"}  # the week's exceptions seen


def week_over_and_submitted(app, client, auth) -> None:
    """Monday after the week of 2 March, which Maria has submitted: it can be approved."""
    app.config["CLOCK"] = lambda: NEXT_MONDAY
    auth.login("maria")
    assert client.post("/me/week/submit", data={"week": "2026-03-02"}).status_code == 302
    auth.logout()



def test_the_board_shows_who_is_in_on_break_and_the_kiosk(client, auth):
    auth.login("sam")
    page = client.get("/board").data.decode()
    assert 'data-technician="T-100" data-state="clocked_in"' in page
    assert 'data-technician="T-101" data-state="on_break"' in page
    assert "T-200" not in page  # another depot
    assert 'data-device="kiosk-north-1"' in page and "online" in page
    client.post("/technicians/T-100/corrections", data={**FIX_CLOCK_OUT, "day": "2026-03-04", "time": "13:30"})
    assert 'data-technician="T-100" data-state="off"' in client.get("/board").data.decode()


def test_a_check_in_puts_the_technician_on_site_on_the_board(client, auth):
    auth.login("maria")
    client.post("/me/check-in", data={"work_order": "WO-8"})
    auth.logout()
    auth.login("sam")
    page = client.get("/board").data.decode()
    assert 'data-technician="T-100" data-state="on_site"' in page and "WO-8" in page


def test_the_team_timeline_is_svg_with_a_row_per_technician(client, auth):
    auth.login("sam")
    svg = client.get("/timeline.svg?day=2026-03-02")
    assert svg.mimetype == "image/svg+xml"
    text = svg.data.decode()
    assert text.startswith("<svg") and "Maria Lopez" in text and "James Carter" in text
    assert 'data-category="on_site"' in text and 'data-category="drive"' in text
    assert 'data-category="unpaid_meal"' in text and ">WO-7<" in text
    assert "<svg" in client.get("/timeline").data.decode()


def test_fixing_a_missing_clock_out_from_the_inbox(client, auth, seeded):
    auth.login("sam")
    inbox = client.get("/exceptions").data.decode()
    assert 'data-code="missing_clock_out" data-technician="T-100"' in inbox
    assert 'data-code="drive_without_work_order"' in inbox and "T-200" not in inbox
    without_reason = client.post("/technicians/T-100/corrections", data={**FIX_CLOCK_OUT, "reason": " ", "next": "inbox",
                                                                        "form_id": "f1"})
    assert without_reason.status_code == 422 and b"every correction needs a reason" in without_reason.data
    assert stored(seeded[0], Correction) == []
    response = client.post("/technicians/T-100/corrections", data={**FIX_CLOCK_OUT, "next": "inbox"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/exceptions")
    assert 'data-code="missing_clock_out" data-technician="T-100"' not in client.get("/exceptions").data.decode()
    day = page_text(client.get("/technicians/T-100/day/2026-03-03"))
    (row,) = stored(seeded[0], Correction)
    assert f"✎c{row.id}" in day and "left at four, forgot to badge" in day and ">sam<" in day
    assert 'data-total="clocked">9:00' in day


def test_move_and_void_a_punch_and_attach_a_leg_keep_the_raw_punch(client, auth, seeded, known):
    auth.login("sam")
    moved = client.post("/technicians/T-100/corrections", data={
        "kind": "move_punch", "day": "2026-03-02", "time": "16:30", "replaces": known["monday_out"],
        "reason": "badge reader was down"})
    assert moved.status_code == 302
    page = page_text(client.get("/technicians/T-100/day/2026-03-02"))
    assert 'data-total="worked">9:00' in page and f"{known['monday_out']} (was Mon 16:00)" in page
    attach = client.post("/technicians/T-100/corrections", data={
        "kind": "attach_leg", "day": "2026-03-03", "replaces": known["tuesday_leg"], "work_order_number": "WO-8",
        "reason": "drove to the bakery"})
    assert attach.status_code == 302
    tuesday = client.get("/technicians/T-100/day/2026-03-03").data.decode()
    assert 'data-code="drive_without_work_order"' not in tuesday
    void = client.post("/technicians/T-100/corrections", data={
        "kind": "void_punch", "day": "2026-03-03", "replaces": known["tuesday_in"], "reason": "test tap"})
    assert void.status_code == 302
    assert [c.kind for c in stored(seeded[0], Correction)] == ["move_punch", "attach_leg", "void_punch"]


def test_a_correction_names_the_field_at_fault(client, auth, seeded):
    auth.login("sam")
    cases = [
        ({**FIX_CLOCK_OUT, "time": "25:00"}, "time"),
        ({**FIX_CLOCK_OUT, "action": "dance"}, "action"),
        ({"kind": "move_punch", "day": "2026-03-02", "time": "10:00", "replaces": "nope", "reason": "x"}, "replaces"),
        ({"kind": "attach_leg", "day": "2026-03-03", "replaces": "leg-1", "work_order_number": "WO-90",
          "reason": "x"}, "work_order"),
        ({**FIX_CLOCK_OUT, "day": "2026-03-09"}, "time"),  # the future
    ]
    for data, field in cases:
        form_id = "visit" if field == "work_order" else "add"  # the day page's form with that field
        response = client.post("/technicians/T-100/corrections", data={**data, "form_id": form_id})
        assert response.status_code == 422, (data, response.status_code)
        assert f'data-field="{field}"'.encode() in response.data, (field, response.data[-2000:])
    assert stored(seeded[0], Correction) == []


def test_a_supervisor_cannot_touch_another_depot(client, auth, seeded):
    auth.login("sue")
    response = client.post("/technicians/T-100/corrections", data=FIX_CLOCK_OUT)
    assert response.status_code == 404
    assert client.post("/technicians/T-100/approve", data={"week": "2026-03-02"}).status_code == 404
    assert stored(seeded[0], Correction) == [] and stored(seeded[0], TimesheetApproval) == []


def test_an_approved_week_is_locked_until_payroll_voids_it(app, client, auth, seeded):
    week_over_and_submitted(app, client, auth)
    auth.login("sam")
    assert client.post("/technicians/T-100/approve", data=APPROVE).status_code == 302
    assert 'id="week-status">approved' in client.get("/technicians/T-100/week/2026-03-02").data.decode()
    refused = client.post("/technicians/T-100/corrections", data=FIX_CLOCK_OUT)
    assert refused.status_code == 422 and b"is approved; payroll must void" in refused.data
    auth.logout()
    auth.login("maria")
    assert client.post("/me/manual", data={"day": "2026-03-03", "time": "16:00", "action": "clock_out",
                                           "reason": "forgot"}).status_code == 422
    auth.logout()
    auth.login("pat")
    assert client.post("/technicians/T-100/void", data={"week": "2026-03-02", "reason": ""}).status_code == 422
    assert client.post("/technicians/T-100/void", data={"week": "2026-03-02",
                                                        "reason": "Tuesday missing its clock-out"}).status_code == 302
    auth.logout()
    auth.login("sam")
    assert client.post("/technicians/T-100/corrections", data=FIX_CLOCK_OUT).status_code == 302
    assert [c.kind for c in stored(seeded[0], Correction)] == ["add_punch"]


def test_a_supervisor_may_not_void(app, client, auth):
    week_over_and_submitted(app, client, auth)
    auth.login("sam")
    client.post("/technicians/T-100/approve", data=APPROVE)
    assert client.post("/technicians/T-100/void", data={"week": "2026-03-02", "reason": "x"}).status_code == 403


def test_rejecting_needs_a_reason_and_a_submitted_week(client, auth):
    auth.login("sam")
    response = client.post("/technicians/T-100/reject", data={"week": "2026-03-02", "reason": "x"})
    assert response.status_code == 422 and b"only a submitted week" in response.data
    auth.logout()
    auth.login("maria")
    client.post("/me/week/submit", data={"week": "2026-03-02"})
    auth.logout()
    auth.login("sam")
    response = client.post("/technicians/T-100/reject", data={"week": "2026-03-02", "reason": ""})
    assert response.status_code == 422 and b'data-field="reason"' in response.data


@pytest.mark.parametrize("app", [2], indirect=True)
def test_two_levels_supervisor_then_payroll(app, client, auth):
    week_over_and_submitted(app, client, auth)
    auth.login("pat")
    early = client.post("/technicians/T-100/approve", data=APPROVE)
    assert early.status_code == 403  # waits for the supervisor first
    auth.logout()
    auth.login("sam")
    client.post("/technicians/T-100/approve", data=APPROVE)
    page = client.get("/technicians/T-100/week/2026-03-02").data.decode()
    assert "approved by supervisor; waiting for payroll" in page
    assert client.post("/technicians/T-100/corrections", data=FIX_CLOCK_OUT).status_code == 302  # not final yet
    auth.logout()
    auth.login("pat")
    assert client.post("/technicians/T-100/approve", data=APPROVE).status_code == 302
    assert 'id="week-status">approved' in client.get("/technicians/T-100/week/2026-03-02").data.decode()


@pytest.mark.parametrize("app", [0], indirect=True)
def test_no_levels_the_submission_closes_the_week(client, auth):
    auth.login("maria")
    client.post("/me/week/submit", data={"week": "2026-03-02"})
    assert 'id="week-status">approved' in client.get("/me/week?week=2026-03-02").data.decode()
    assert client.post("/me/manual", data={"day": "2026-03-03", "time": "16:00", "action": "clock_out",
                                           "reason": "forgot"}).status_code == 422


def test_payroll_locks_and_unlocks_a_pay_period(client, auth, seeded):
    auth.login("pat")
    bad = client.post("/payroll/lock", data={"period_start": "2026-03-15", "period_end": "2026-03-02"})
    assert bad.status_code == 422 and b'data-field="period_end"' in bad.data
    assert client.post("/payroll/lock", data={"period_start": "2026-02-23", "period_end": "2026-03-08"}).status_code == 302
    auth.logout()
    auth.login("sam")
    refused = client.post("/technicians/T-100/corrections", data=FIX_CLOCK_OUT)
    assert refused.status_code == 422 and b"is locked; payroll must unlock it" in refused.data
    auth.logout()
    auth.login("pat")
    (lock,) = stored(seeded[0], PayPeriodLock)
    assert client.post(f"/payroll/unlock/{lock.id}", data={"reason": ""}).status_code == 422
    assert client.post(f"/payroll/unlock/{lock.id}", data={"reason": "late timesheet"}).status_code == 302
    (lock,) = stored(seeded[0], PayPeriodLock)
    assert lock.unlock_reason == "late timesheet"
    auth.logout()
    auth.login("sam")
    assert client.post("/technicians/T-100/corrections", data=FIX_CLOCK_OUT).status_code == 302


def test_a_work_orders_page_has_drive_and_site_time_per_technician(client, auth):
    auth.login("sam")
    page = page_text(client.get("/work-orders/WO-7?start=2026-03-01&end=2026-03-04"))
    assert 'data-technician="T-100"' in page
    assert '<td class="num">0:40</td><td class="num">3:30</td>' in page  # drive 07:20-08:00, site 08:00-11:30


def test_issue_16_a_shift_open_past_the_limit_is_off_the_clock_on_the_board(seeded):
    """James clocked in 07:30 and started a break at 13:45; at 14:00 under a 6-hour auto
    clock-out limit his shift is over (depotclock.wire.shift_limit), break or not."""
    from hub.settings import HubSettings, PayrollSettings
    from hub.web import create_app, db
    from tests.integration.web.company import NOW, PASSWORD

    settings = HubSettings(database_url=seeded[0], mqtt_url="mqtt://hub:x@127.0.0.1:1883",
                           timezone="America/Chicago", payroll=PayrollSettings(auto_clock_out_after_h=6))
    app = create_app(settings, {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                                "CLOCK": lambda: NOW})
    try:
        client = app.test_client()
        client.post("/login", data={"username": "sam", "password": PASSWORD})
        page = client.get("/board").data.decode()
        assert 'data-technician="T-101" data-state="off"' in page
    finally:
        db.dispose(app)
