"""Every route of the web app for every role: who may open each page and who may post to
each form. The table must name every route, so a new one cannot go untested."""

from __future__ import annotations

import pytest

from tests.integration.web.conftest import make_app

ROLES = ("maria", "sam", "sue", "pat", "ada")  # technician, supervisor north, supervisor south, payroll, admin
OK, NO, GONE, BAD = 200, 403, 404, 422

# url -> status for maria, sam, sue, pat, ada
PAGES = {
    "/me/": (OK, NO, NO, NO, NO), "/me/week": (OK, NO, NO, NO, NO), "/me/account": (OK, NO, NO, NO, NO),
    "/me/manual": (OK, NO, NO, NO, NO), "/me/week.pdf": (OK, NO, NO, NO, NO),
    "/me/pin": (OK, NO, NO, NO, NO), "/me/sw.js": (OK, OK, OK, OK, OK),  # the service worker: static
    "/board": (NO, OK, OK, OK, OK), "/board/live": (NO, OK, OK, OK, OK),
    "/timeline": (NO, OK, OK, OK, OK), "/timeline.svg": (NO, OK, OK, OK, OK),
    "/me/timer/": (OK, NO, NO, NO, NO), "/me/corrections/": (OK, NO, NO, NO, NO), "/me/hours/": (OK, NO, NO, NO, NO),
    "/admin/task-categories/": (NO, NO, NO, NO, OK),
    "/technicians": (NO, OK, OK, OK, OK),
    "/technicians/T-100/day/2026-03-03": (NO, OK, GONE, OK, OK),
    "/technicians/T-100/week/2026-03-03": (NO, OK, GONE, OK, OK), "/approvals/": (NO, OK, OK, OK, OK),
    "/technicians/T-100/week/2026-03-03.pdf": (NO, OK, GONE, OK, OK),
    "/team/": (NO, OK, OK, OK, OK), "/team.csv": (NO, OK, OK, OK, OK), "/team.pdf": (NO, OK, OK, OK, OK),
    "/legs/driverless": (NO, OK, OK, NO, OK),
    "/exceptions": (NO, OK, OK, OK, OK), "/punches/flagged": (NO, OK, OK, OK, OK),
    "/work-orders/": (NO, OK, OK, OK, OK), "/work-orders/WO-7": (NO, OK, GONE, OK, OK),
    "/payroll/": (NO, NO, NO, OK, OK),
    "/payroll/exports/": (NO, NO, NO, OK, OK),
    "/payroll/exports/1/files/1": (NO, NO, NO, GONE, GONE),  # no such export (downloads: test_exports.py)
    "/reports/utilisation": (NO, OK, OK, OK, OK), "/reports/utilisation.csv": (NO, OK, OK, OK, OK),
    "/reports/work-orders": (NO, OK, OK, OK, OK), "/reports/work-orders.csv": (NO, OK, OK, OK, OK),
    "/reports/overtime": (NO, OK, OK, OK, OK), "/reports/overtime.csv": (NO, OK, OK, OK, OK),
    "/reports/neutrality": (NO, OK, OK, OK, OK), "/reports/neutrality.csv": (NO, OK, OK, OK, OK),
    "/reports/mileage": (NO, OK, OK, OK, OK), "/reports/mileage.csv": (NO, OK, OK, OK, OK),
    "/vehicles/": (NO, OK, OK, OK, OK), "/vehicles/van-12/day/2026-03-02": (NO, OK, GONE, OK, OK),
    "/admin/": (NO, NO, NO, NO, OK), "/admin/technicians/": (NO, NO, NO, NO, OK),
    "/admin/technicians/T-100": (NO, NO, NO, NO, OK), "/badges": (NO, OK, OK, NO, OK),
    "/admin/job-titles": (NO, NO, NO, NO, OK), "/admin/users/": (NO, NO, NO, NO, OK),
    "/admin/users/1": (NO, NO, NO, NO, OK), "/admin/holidays": (NO, NO, NO, NO, OK),
    "/admin/notifications": (NO, NO, NO, NO, OK), "/account/": (OK, OK, OK, OK, OK),
}
# (url, form) -> status for maria, sam, sue, pat, ada; each is posted on a fresh database
FORMS = {
    ("/me/check-in", "work_order=WO-7"): (302, NO, NO, NO, NO),
    ("/me/check-out", "next_status=resolved"): (BAD, NO, NO, NO, NO),  # not checked in
    ("/me/week/submit", "week=2026-03-02"): (302, NO, NO, NO, NO),
    ("/me/punch", "action=break_start&request_id=r1"): (302, NO, NO, NO, NO),
    ("/me/pin", "pin=246810"): (302, NO, NO, NO, NO),
    ("/me/punches.json", ""): (415, NO, NO, NO, NO),  # JSON only (test_phone_punches.py)
    ("/me/check-ins.json", ""): (415, NO, NO, NO, NO),  # JSON only (test_phone_visits.py)
    ("/me/check-outs.json", ""): (415, NO, NO, NO, NO),
    ("/me/timers.json", ""): (415, NO, NO, NO, NO),
    ("/me/timer/start", "target=category:non-billable:shop"): (302, NO, NO, NO, NO),
    ("/me/timer/stop", ""): (302, NO, NO, NO, NO),  # nothing running: said on the page it returns to
    ("/me/corrections/", "kind=void_punch&day=2026-03-03&replaces=p&reason=r"): (GONE, NO, NO, NO, NO),  # no p
    ("/technicians/T-100/corrections", "kind=add_punch&day=2026-03-03&time=16:00&action=clock_out&reason=r"):
        (NO, 302, GONE, 302, 302),
    ("/me/hours/", "day=2026-03-03&duration=2&category=non-billable:training&reason=r"): (302, NO, NO, NO, NO),
    ("/me/hours/1/void", "day=2026-03-03&reason=r"): (BAD, NO, NO, NO, NO),  # no entry 1
    ("/technicians/T-100/hours", "day=2026-03-03&duration=2&category=non-billable:training&reason=r"):
        (NO, 302, GONE, 302, 302),
    ("/technicians/T-100/hours/1/void", "day=2026-03-03&reason=r"): (NO, BAD, GONE, BAD, BAD),  # no entry 1
    ("/legs/1/driver", "technician_id=T-100&reason=r"): (NO, BAD, GONE, NO, BAD),  # T-100 drove leg 1 already
    ("/technicians/T-100/approve", "week=2026-03-02"): (NO, BAD, GONE, NO, BAD),  # not submitted, still running
    ("/approvals/bulk", "week=T-100/2026-03-02"): (NO, 302, 302, 302, 302),  # refused with a message
    ("/punches/p/decision", "decision=approve&reason=r"): (NO, GONE, GONE, GONE, GONE),  # no p (test_flagged_punches.py)
    ("/technicians/T-100/reject", "week=2026-03-02&reason=r"): (NO, BAD, GONE, BAD, BAD),  # not submitted
    ("/technicians/T-100/void", "week=2026-03-02&reason=r"): (NO, NO, NO, BAD, BAD),  # not approved
    ("/payroll/lock", "period_start=2026-02-23&period_end=2026-03-08"): (NO, NO, NO, 302, 302),
    ("/payroll/unlock/1", "reason=r"): (NO, NO, NO, BAD, BAD),  # no such lock
    ("/payroll/exports/", "day=2026-03-04&format=generic&preview=y"): (NO, NO, NO, OK, OK),
    ("/admin/vehicles/assign", "vehicle_id=van-12&technician_id=T-101"): (NO, NO, NO, NO, 302),
    ("/admin/work-orders/import", ""): (NO, NO, NO, NO, BAD),  # no file
    ("/admin/technicians/identities/import", ""): (NO, NO, NO, NO, BAD),  # no file
    ("/admin/depots/", "id=west&name=West&timezone=UTC&lat=1&lon=2&geofence_radius_m=100"): (NO, NO, NO, NO, 302),
    ("/admin/users/1/sign-out", ""): (NO, NO, NO, NO, 302),
}
COVERED_ELSEWHERE = {"/login", "/logout", "/", "/favicon.ico", "/static/<path:filename>", "/me/account", "/me/manual",
                     "/admin/job-titles", "/admin/holidays", "/admin/users/", "/admin/users/<int:user_id>",
                     "/admin/<page>/", "/admin/<page>/<key>",
                     "/healthz", "/readyz", "/metrics"}  # test_health_metrics.py


def _rule(url: str, app) -> str:
    adapter = app.url_map.bind("localhost")
    endpoint, _ = adapter.match(url.split("?")[0], method="GET" if url in PAGES else "POST")
    return next(r.rule for r in app.url_map.iter_rules() if r.endpoint == endpoint)


def test_the_tables_name_every_route(app):
    covered = {_rule(u, app) for u in PAGES} | {_rule(u, app) for u, _ in FORMS} | COVERED_ELSEWHERE
    web_rules = {r.rule for r in app.url_map.iter_rules() if not r.rule.startswith("/api/")}
    assert web_rules - covered == set()


@pytest.mark.parametrize("url", list(PAGES))
def test_who_may_open_each_page(client, auth, url):
    for username, expected in zip(ROLES, PAGES[url], strict=True):
        auth.login(username)
        assert client.get(url).status_code == expected, (username, url)
        auth.logout()


@pytest.mark.parametrize("url, form", list(FORMS))
def test_who_may_post_each_form(seeded, url, form):
    """On SQLite and PostgreSQL; each role posts to a database no other role has changed."""
    for username, expected in zip(ROLES, FORMS[(url, form)], strict=True):
        app = make_app(seeded[0])
        client = app.test_client()
        client.post("/login", data={"username": username, "password": "correct horse battery"})
        response = client.post(url, data=form, content_type="application/x-www-form-urlencoded")
        assert response.status_code == expected, (username, url, response.data[-400:])
        _undo(seeded[0])
        from hub.web import db
        db.dispose(app)


def _undo(url: str) -> None:
    """Back to the seeded state: drop what a post added (corrections are immutable and
    stay; the one posted here can be made again)."""
    from sqlalchemy import delete, update

    from hub.store.engine import make_engine, session_factory
    from hub.store.models import (
        Depot,
        HoursEntry,
        HoursEntryVoid,
        PayPeriodLock,
        PayrollExport,
        PayrollExportChunk,
        PayrollExportFile,
        PayrollExportTechnician,
        TimesheetApproval,
        VehicleAssignment,
        WorkOrder,
        WorkOrderVisit,
    )
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        for model in (PayrollExportChunk, PayrollExportFile, PayrollExportTechnician, PayrollExport):
            session.execute(delete(model))
        for model in (TimesheetApproval, PayPeriodLock):
            session.execute(delete(model))
        session.execute(delete(WorkOrderVisit).where(WorkOrderVisit.request_id != "v-mon"))
        session.execute(update(WorkOrder).values(status="open"))
        session.execute(delete(VehicleAssignment).where(VehicleAssignment.technician_id != "T-100"))
        session.execute(update(VehicleAssignment).values(ends_at=None))
        session.execute(delete(Depot).where(Depot.id == "west"))
        session.execute(delete(HoursEntryVoid))
        session.execute(delete(HoursEntry))
    engine.dispose()
