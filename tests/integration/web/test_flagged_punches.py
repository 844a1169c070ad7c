"""Flagged punches (issue 19): the supervisor's page of punches with flags, approving or
rejecting a PIN punch that waits for approval (a correction: who, when, why; the raw punch
untouched), and what that does to the week, on SQLite and PostgreSQL.

Maria (T-100, North) forgot her badge on Tuesday and clocked out at 16:00 with her PIN
(flagged pin, needs_approval); James (T-101, North) clocked in from his phone 2.2 km north of
the depot (outside_geofence); Sofia (T-200, South) clocked out with her PIN today."""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from hub.rules.findings import Code
from hub.services import approvals
from hub.services.correcting import CorrectionInput, record_correction
from hub.services.problems import Invalid
from hub.services.punch_reviews import Filters, check_filters, decide, flagged_punches
from hub.services.records import timesheets
from hub.services.scope import NotAllowed, OutOfScope, Viewer
from hub.settings import PayrollSettings
from hub.store.engine import make_engine, session_factory
from hub.store.models import Correction, Punch, Technician, User
from hub.web import db
from tests.integration.web.company import CHICAGO, MONDAY, TODAY, TUESDAY, at, page_text, stored
from tests.integration.web.conftest import make_app
from tests.integration.web.test_api import api  # noqa: F401  (the fixture)
from tests.integration.web.test_spanish import DATA, ENGLISH, SPANISH
from tests.translated import untranslated

PIN_FLAGS = ["pin", "needs_approval"]
LATER = datetime(2026, 3, 10, 12, 0, tzinfo=CHICAGO)  # the week of March 2 is over
PAYROLL = PayrollSettings(approval_levels=1, approve_unsubmitted=True)
HOUR = 3_600_000_000


def _punch(tech: str, action: str, when: datetime, flags: list[str], depot: str, **phone) -> Punch:
    kiosk = not phone
    return Punch(id=uuid.uuid4(), kiosk_id="kiosk-north-1" if kiosk else None, seq=9 if kiosk else None, at=when,
                 utc_offset_min=-360, received_at=when, badge_id=None, action=action, technician_id=tech,
                 clock_synced=True if kiosk else None, boot="b" if kiosk else None, monotonic_s=9.0 if kiosk else None,
                 flags=flags, source="kiosk" if kiosk else "phone", depot_id=depot if kiosk else None, **phone)


def add_flagged(url: str) -> dict[str, str]:
    rows = {"pin": _punch("T-100", "clock_out", at(TUESDAY, 16), PIN_FLAGS, "north"),
            "phone": _punch("T-101", "clock_in", at(MONDAY, 7, 10), ["outside_geofence"], "north",
                            lat=41.90, lon=-87.68, accuracy_m=20.0),
            "south": _punch("T-200", "clock_out", at(TODAY, 11), PIN_FLAGS, "south")}
    engine = make_engine(url)
    with session_factory(engine).begin() as s:
        s.add_all(rows.values())
    engine.dispose()
    return {name: str(row.id) for name, row in rows.items()}


@pytest.fixture
def flagged(seeded):
    return add_flagged(seeded[0])


@contextmanager
def opened(url: str):
    engine = make_engine(url)
    with session_factory(engine)() as s:
        yield s
    engine.dispose()


def viewer(s, username: str) -> Viewer:
    return Viewer.of(s, s.scalar(select(User).where(User.username == username)))


def week_of_maria(s):
    (found,) = timesheets(s, PAYROLL, MONDAY, MONDAY + timedelta(days=6), ["T-100"], as_of=LATER)
    return found.timesheet.weeks[0].worked, [e.code for e in found.timesheet.exceptions]


# -- the service
def test_a_supervisor_sees_the_flagged_punches_of_their_depots_only(seeded, flagged):
    with opened(seeded[0]) as s:
        def shown(username: str, **filters) -> set[str]:
            return {str(r.punch.id) for r in flagged_punches(s, viewer(s, username), Filters(MONDAY, TODAY, **filters))}
        assert shown("sam") == {flagged["pin"], flagged["phone"]} == shown("pat")
        assert shown("sue") == {flagged["south"]}
        assert shown("ada") == set(flagged.values())
        assert shown("ada", depot="south") == {flagged["south"]}
        assert shown("sam", flag="outside_geofence") == {flagged["phone"]}
        assert shown("sam", flag="sent_late") == set()
        assert shown("maria") == {flagged["pin"]}  # a technician: their own
        phone = next(r for r in flagged_punches(s, viewer(s, "sam"), Filters(MONDAY, MONDAY)))
        assert phone.nearest[0] == "North Depot" and 2000 < phone.nearest[1] < 2150  # 2.2 km from its centre
        assert not phone.waiting and phone.decision is None


def test_filters_are_refused_naming_the_field(seeded):
    with opened(seeded[0]) as s:
        sam = viewer(s, "sam")
        for args, field in [((TODAY, MONDAY, None, None), "end"), ((MONDAY - timedelta(days=90), TODAY, None, None), "end"),
                            ((MONDAY, TODAY, "south", None), "depot"), ((MONDAY, TODAY, "x" * 5000, None), "depot"),
                            ((MONDAY, TODAY, None, "bogus"), "flag"), ((MONDAY, TODAY, None, "<script>"), "flag")]:
            with pytest.raises(Invalid) as refused:
                check_filters(s, sam, *args)
            assert refused.value.field == field, args


def test_a_punch_waiting_for_approval_counts_is_an_open_exception_and_holds_the_week(seeded, flagged):
    with opened(seeded[0]) as s:
        worked, codes = week_of_maria(s)
        assert Code.PUNCH_AWAITS_APPROVAL in codes
        maria, sam = s.get_one(Technician, "T-100"), viewer(s, "sam")
        for confirmed in (False, True):
            with pytest.raises(Invalid, match="wait for a supervisor to approve or reject them") as held:
                approvals.approve(s, sam, PAYROLL, maria, MONDAY, LATER, confirmed=confirmed)
            assert held.value.field == "week"
        assert worked > 8 * HOUR + 8 * HOUR  # Monday and Tuesday 07:00–16:00 both count
        maria_herself = viewer(s, "maria")  # with no approval levels her submission would close the week
        with pytest.raises(Invalid, match="wait for a supervisor"):
            approvals.submit(s, maria_herself, PayrollSettings(approval_levels=0), maria, MONDAY, LATER)


def test_approving_records_who_when_why_and_clears_the_exception(seeded, flagged):
    with opened(seeded[0]) as s:
        worked, _ = week_of_maria(s)
        sam = viewer(s, "sam")
        row = decide(s, sam, PAYROLL, flagged["pin"], "approve", "  left her badge at home  ", LATER)
        s.commit()
        assert (row.kind, row.replaces_type, row.replaces_id, row.created_by, row.created_at, row.reason) == (
            "approve_punch", "punch", flagged["pin"], sam.user_id, LATER, "left her badge at home")
        assert s.get_one(Punch, uuid.UUID(flagged["pin"])).flags == PIN_FLAGS  # the raw punch as it came
        after, codes = week_of_maria(s)
        assert after == worked and Code.PUNCH_AWAITS_APPROVAL not in codes
        (listed,) = [r for r in flagged_punches(s, sam, Filters(TUESDAY, TUESDAY))]
        assert not listed.waiting and listed.decision.approved and listed.decision.by == "sam"
        approvals.approve(s, sam, PAYROLL, s.get_one(Technician, "T-100"), MONDAY, LATER, confirmed=True)
        with pytest.raises(Invalid, match="already approved") as again:
            decide(s, sam, PAYROLL, flagged["pin"], "reject", "changed my mind", LATER)
        assert again.value.field == "punch"


def test_rejecting_voids_the_punch_and_undoing_that_puts_it_back(seeded, flagged):
    with opened(seeded[0]) as s:
        worked, _ = week_of_maria(s)
        sam = viewer(s, "sam")
        row = decide(s, sam, PAYROLL, flagged["pin"], "reject", "she was not in that day", LATER)
        s.commit()
        assert row.kind == "void_punch" and row.replaces_id == flagged["pin"]
        after, codes = week_of_maria(s)
        assert after != worked and Code.PUNCH_AWAITS_APPROVAL not in codes
        assert Code.MISSING_CLOCK_OUT in codes  # Tuesday's clock-in has no clock-out now
        (listed,) = flagged_punches(s, sam, Filters(TUESDAY, TUESDAY))
        assert listed.decision is not None and not listed.decision.approved
        record_correction(s, sam, PAYROLL, s.get_one(Technician, "T-100"),
                          CorrectionInput(kind="void_correction", reason="wrong punch", replaces=f"c{row.id}"), LATER)
        s.commit()
        again, codes = week_of_maria(s)
        assert again == worked and Code.PUNCH_AWAITS_APPROVAL in codes


def test_a_supervisor_of_another_depot_cannot_decide_nor_a_technician(seeded, flagged):
    with opened(seeded[0]) as s:
        with pytest.raises(OutOfScope):
            decide(s, viewer(s, "sue"), PAYROLL, flagged["pin"], "approve", "looks fine", LATER)
        with pytest.raises(NotAllowed):
            decide(s, viewer(s, "maria"), PAYROLL, flagged["pin"], "approve", "it was me", LATER)
        assert s.scalars(select(Correction)).all() == []


@pytest.mark.parametrize(("punch", "decision", "reason", "field"), [
    ("pin", "maybe", "r", "decision"), ("pin", "", "r", "decision"), ("pin", "approve", "", "reason"),
    ("pin", "approve", " \n\t ", "reason"), ("pin", "approve", "x" * 1001, "reason"),
    ("phone", "approve", "r", "punch"),  # flagged, but needs no approval
])
def test_hostile_decisions_are_refused_naming_the_field(seeded, flagged, punch, decision, reason, field):
    with opened(seeded[0]) as s:
        with pytest.raises(Invalid) as refused:
            decide(s, viewer(s, "sam"), PAYROLL, flagged[punch], decision, reason, LATER)
        assert refused.value.field == field
        for nonsense in ("not-a-uuid", "'; DROP TABLE punches; --", str(uuid.uuid4()), "x" * 10_000):
            with pytest.raises(OutOfScope):
                decide(s, viewer(s, "sam"), PAYROLL, nonsense, "approve", "r", LATER)


# -- the pages
def test_the_page_shows_the_flags_in_words_with_the_zone_and_position(client, auth, flagged):
    auth.login("sam")
    response = client.get("/punches/flagged?start=2026-03-02&end=2026-03-04")
    page = page_text(response)
    assert response.status_code == 200 and "Flagged punches" in page
    assert "entered with a PIN at the kiosk" in page and "waiting for a supervisor&#39;s approval" in page
    assert "Tue 03 Mar 16:00" in page and "(America/Chicago, North Depot)" in page
    assert "outside every geofence" in page and "41.90000, -87.68000 ± 20 m" in page
    assert re.search(r"\d+ m outside North Depot", page) and "Sofia Reyes" not in page
    assert page.count('name="decision" value="approve"') == 1  # the PIN punch only
    assert 'href="/technicians/T-101/day/2026-03-02#day-map"' in page
    day = page_text(client.get("/technicians/T-101/day/2026-03-02"))
    assert "(outside every geofence)" in day and '"punches": [{"' in day  # on the map
    assert client.get("/punches/flagged").status_code == 200  # the last two weeks
    auth.logout()
    auth.login("maria")
    assert client.get("/punches/flagged").status_code == 403


@pytest.mark.parametrize(("query", "field"), [
    ("start=yesterday", "start"), ("end=2026-02-30", "end"), ("start=2026-03-04&end=2026-03-01", "end"),
    ("start=2025-01-01&end=2026-03-04", "end"), ("depot=south", "depot"), ("depot=" + "x" * 5000, "depot"),
    ("flag=%3Cscript%3Ealert(1)%3C/script%3E", "flag"), ("start=" + "9" * 500, "start"),
])
def test_hostile_query_strings_are_refused_naming_the_field(client, auth, flagged, query, field):
    auth.login("sam")
    response = client.get(f"/punches/flagged?{query}")
    assert response.status_code == 422 and f'data-field="{field}"' in response.text
    assert "<script>alert" not in response.text


def test_approve_and_reject_from_the_page(client, auth, flagged, seeded):
    auth.login("sam")
    response = client.post(f"/punches/{flagged['pin']}/decision?flag=needs_approval",
                           data={"decision": "approve", "reason": "badge left at home"})
    assert response.status_code == 302 and response.location.endswith("/punches/flagged?flag=needs_approval")
    assert "Approved</strong> by sam" in page_text(client.get("/punches/flagged?start=2026-03-03&end=2026-03-03"))
    auth.logout()
    auth.login("sue")
    assert client.post(f"/punches/{flagged['south']}/decision",
                       data={"decision": "reject", "reason": "not on the rota"}).status_code == 302
    assert client.post(f"/punches/{flagged['pin']}/decision",
                       data={"decision": "reject", "reason": "not mine"}).status_code == 404
    decided = {(c.technician_id, c.kind, c.replaces_id, c.reason) for c in stored(seeded[0], Correction)}
    assert decided == {("T-100", "approve_punch", flagged["pin"], "badge left at home"),
                       ("T-200", "void_punch", flagged["south"], "not on the rota")}


@pytest.mark.parametrize(("form", "field"), [
    ({"decision": "approve", "reason": ""}, "reason"), ({"decision": "approve", "reason": "y" * 5000}, "reason"),
    ({"decision": "delete", "reason": "r"}, "decision"), ({"reason": "r"}, "decision"),
])
def test_a_refused_decision_names_its_field(client, auth, flagged, seeded, form, field):
    auth.login("sam")
    response = client.post(f"/punches/{flagged['pin']}/decision", data=form)
    assert response.status_code == 422 and f'data-field="{flagged["pin"]}-{field}"' in response.text
    assert stored(seeded[0], Correction) == []


def test_a_decision_needs_its_csrf_token(seeded, flagged):
    app = make_app(seeded[0], WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": "sam", "password": "correct horse battery", "csrf_token": token})
    page = client.get("/punches/flagged?flag=needs_approval").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {"decision": "approve", "reason": "badge left at home"}
    assert client.post(f"/punches/{flagged['pin']}/decision", data=form).status_code == 400
    assert stored(seeded[0], Correction) == []
    assert client.post(f"/punches/{flagged['pin']}/decision", data={**form, "csrf_token": token}).status_code == 302
    db.dispose(app)


def test_the_technicians_week_shows_her_punches_flags_in_spanish(client, auth, flagged):
    auth.login("maria")
    english, spanish = (client.get("/me/week?week=2026-03-02", headers=h).text for h in (ENGLISH, SPANISH))
    assert "entered with a PIN at the kiosk" in english and "Waiting for a supervisor" in english
    assert "hecho con el PIN en el quiosco" in spanish and "pendiente de la aprobación de un supervisor" in spanish
    assert untranslated(english, spanish, DATA) == []


def test_the_api_lists_each_punchs_flags(api, flagged):  # noqa: F811
    events = api("GET", "/events?technician_id=T-100&start=2026-03-03&end=2026-03-03").get_json()["events"]
    flags = {e["id"]: e["flags"] for e in events}
    assert flags[flagged["pin"]] == PIN_FLAGS and all(f == [] for i, f in flags.items() if i != flagged["pin"])
    assert api("POST", "/corrections", json={"technician_id": "T-100", "kind": "approve_punch", "reason": "ok",
                                             "replaces": flagged["pin"]}).status_code == 201
    events = api("GET", "/events?technician_id=T-100&start=2026-03-03&end=2026-03-03").get_json()["events"]
    assert {e["id"]: e["flags"] for e in events}[flagged["pin"]] == ["pin", "approved"]
