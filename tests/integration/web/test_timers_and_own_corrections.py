"""Issue 19, time entry for the rest of the day: task categories an admin defines, timers
on a work order or a category (one at a time, visits like check-ins), and a technician's
own corrections of punches and legs until the week is submitted."""

from __future__ import annotations

from datetime import timedelta

from hub.store.models import Correction, Punch, TaskCategory, User, WorkOrderVisit
from hub.web import db
from tests.integration.web.company import NOW, PASSWORD, page_text, stored
from tests.integration.web.conftest import make_app


def test_categories_and_timers(app, client, auth, seeded):
    url = seeded[0]
    assert {c.id for c in stored(url, TaskCategory)} == {"non-billable:shop", "non-billable:training",
                                                         "non-billable:admin"}  # seeded by the migration
    auth.login("ada")
    for row in ({"id": "prep", "name": "Van prep", "billable": "y", "active_from": "2026-03-01"},
                {"id": "old", "name": "Old project", "active_to": "2026-02-28"}):
        assert client.post("/admin/task-categories/", data=row).status_code == 302
    bad = client.post("/admin/task-categories/", data={"id": "x", "name": "X", "active_from": "2026-03-02",
                                                       "active_to": "2026-03-01"})
    assert bad.status_code == 422 and b'data-field="active_to"' in bad.data
    auth.logout()

    clock = [NOW]
    app.config["CLOCK"] = lambda: clock[0]
    auth.login("maria")
    page = client.get("/me/timer/").data.decode()
    assert "Van prep (billable)" in page and "Old project" not in page  # only those in use today
    for target, message in (("category:old", b"Old project is not in use on Mar 04, 2026"),
                            ("category:nope", b"no task category nope"), ("work_order:WO-90", b"no work order WO-90"),
                            ("WO-7", b"pick a work order or a task category"), ("category:" + "x" * 300, b"pick")):
        response = client.post("/me/timer/start", data={"target": target})
        assert response.status_code == 422 and message in response.data, target
    assert client.post("/me/timer/start", data={"target": "category:prep"}).status_code == 302
    clock[0] = NOW + timedelta(minutes=30)
    page = client.get("/me/timer/").data.decode()
    assert 'data-running="prep"' in page and 'data-elapsed="1800"' in page and "0:30:00" in page
    assert client.post("/me/timer/start", data={"target": "work_order:WO-7"}).status_code == 302  # switches
    clock[0] = NOW + timedelta(minutes=45)
    assert client.post("/me/timer/stop").status_code == 302
    timed = sorted((v for v in stored(url, WorkOrderVisit) if v.source == "timer"), key=lambda v: v.check_in_at)
    assert [(v.category_id, v.work_order_id, v.check_out_at - v.check_in_at) for v in timed] == [
        ("prep", None, timedelta(minutes=30)), (None, "WO-7", timedelta(minutes=15))]
    assert b"no timer is running" in client.post("/me/timer/stop", follow_redirects=True).data
    wednesday = page_text(client.get("/me/week?week=2026-03-02")).split("Wed 04 Mar")[1].split("</tr>")[0]
    assert '<td class="num">0:45</td>' in wednesday  # on site: both timers
    day = page_text(client.get("/me/?day=2026-03-04"))
    assert "on site · Van prep" in day and "on site · WO-7" in day


def _ids(url: str, tech: str) -> list[str]:
    return [str(p.id) for p in stored(url, Punch) if p.technician_id == tech]


def test_own_corrections_until_the_week_is_submitted(client, auth, seeded):
    url, known = seeded
    auth.login("maria")
    tuesday = {"day": "2026-03-03", "replaces": known["tuesday_in"]}
    page = client.get("/me/corrections/?day=2026-03-03").data.decode()
    assert f'data-event="{known["tuesday_in"]}"' in page and f'data-event="{known["tuesday_leg"]}"' in page
    refused = client.post("/me/corrections/", data={**tuesday, "kind": "move_punch", "time": "07:15", "reason": ""})
    assert refused.status_code == 422 and b"every correction needs a reason" in refused.data
    refused = client.post("/me/corrections/", data={**tuesday, "kind": "move_punch", "time": "25:99", "reason": "x"})
    assert refused.status_code == 422 and b'data-field="time"' in refused.data
    assert client.post("/me/corrections/", data={**tuesday, "kind": "move_punch", "time": "07:15",
                                                 "reason": "badged late, was here"}).status_code == 302
    leg = {"day": "2026-03-03", "replaces": known["tuesday_leg"], "kind": "attach_leg", "reason": "parts run"}
    refused = client.post("/me/corrections/", data={**leg, "work_order": "WO-90"})
    assert refused.status_code == 422 and b"no work order or task category WO-90" in refused.data
    assert client.post("/me/corrections/", data={**leg, "work_order": "non-billable:shop"}).status_code == 302
    james = _ids(url, "T-101")[0]
    for replaces in (james, "no-such-punch", known["monday_out"]):  # another's, unknown, another day's
        response = client.post("/me/corrections/", data={**tuesday, "kind": "void_punch", "replaces": replaces,
                                                         "reason": "x"})
        assert response.status_code == 404
    maria = next(u.id for u in stored(url, User) if u.username == "maria")
    rows = stored(url, Correction)
    assert [(r.kind, r.created_by) for r in rows] == [("move_punch", maria), ("attach_leg", maria)]
    page = client.get("/me/corrections/?day=2026-03-03").data.decode()
    assert "badged late, was here" in page and "by maria" in page and "Shop" in page

    assert client.post("/me/week/submit", data={"week": "2026-03-02"}).status_code == 302
    assert b"a supervisor must reject it" in client.get("/me/corrections/?day=2026-03-03").data
    moved = {**tuesday, "kind": "void_punch", "replaces": f"c{rows[0].id}", "reason": "x"}  # the moved punch
    refused = client.post("/me/corrections/", data=moved)
    assert refused.status_code == 422 and b"is submitted; a supervisor must reject it" in refused.data
    assert len(stored(url, Correction)) == 2


def test_the_company_can_turn_own_corrections_off(seeded):
    url, known = seeded
    app = make_app(url, own_corrections=False)
    client = app.test_client()
    client.post("/login", data={"username": "maria", "password": PASSWORD})
    assert b"does not let technicians" in client.get("/me/corrections/?day=2026-03-03").data
    refused = client.post("/me/corrections/", data={"day": "2026-03-03", "replaces": known["tuesday_in"],
                                                    "kind": "void_punch", "reason": "x"})
    assert refused.status_code == 403 and b"does not let technicians change their own punches" in refused.data
    assert stored(url, Correction) == []
    db.dispose(app)
