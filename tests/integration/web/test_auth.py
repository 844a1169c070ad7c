"""Logging in, sessions that expire, CSRF on every form, and roles and depots deciding
what each user sees (on SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from click.testing import CliRunner

from hub.web import db
from tests.integration.web.company import NOW
from tests.integration.web.conftest import make_app


def test_every_page_needs_a_login(client):
    for url in ("/", "/me/", "/board", "/technicians/T-100/week/2026-03-02", "/admin/", "/payroll/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_a_wrong_password_is_refused_next_to_the_field(client, auth):
    response = auth.login("sam", "not the password")
    assert response.status_code == 401
    assert b"do not match an active user" in response.data
    assert client.get("/board").status_code == 302


def test_login_lands_each_role_on_its_page_and_logout_ends_it(client, auth):
    assert auth.login("maria").headers["Location"].endswith("/me/")
    auth.logout()
    assert auth.login("sam").headers["Location"].endswith("/board")
    assert client.get("/board").status_code == 200
    auth.logout()
    assert client.get("/board").status_code == 302


def test_a_login_goes_back_to_the_page_asked_for_but_never_off_site(client, auth):
    response = client.post("/login?next=/exceptions", data={"username": "sam", "password": "correct horse battery"})
    assert response.headers["Location"] == "/exceptions"
    auth.logout()
    for hostile in ("//evil.example/", "/%09/evil.example/", "/%5Cevil.example/", "%0A//evil.example"):
        response = client.post(f"/login?next={hostile}", data={"username": "sam", "password": "correct horse battery"})
        assert response.headers["Location"] == "/board", hostile  # issue 22: /%09/ led to //evil.example/
        auth.logout()


def test_a_session_expires_after_an_idle_hour(seeded):
    clock = {"now": NOW}
    app = make_app(seeded[0], CLOCK=lambda: clock["now"])
    client = app.test_client()
    client.post("/login", data={"username": "sam", "password": "correct horse battery"})
    clock["now"] = NOW + timedelta(minutes=59)
    assert client.get("/board").status_code == 200
    clock["now"] += timedelta(minutes=61)
    response = client.get("/board")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    db.dispose(app)


def test_a_login_lasts_at_most_twelve_hours_even_when_busy(seeded):
    clock = {"now": NOW}
    app = make_app(seeded[0], CLOCK=lambda: clock["now"])
    client = app.test_client()
    client.post("/login", data={"username": "sam", "password": "correct horse battery"})
    for _ in range(14):
        clock["now"] += timedelta(minutes=55)
        client.get("/board")
    assert client.get("/board").status_code == 302
    db.dispose(app)


def test_every_form_needs_its_csrf_token(seeded):
    app = make_app(seeded[0], WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert client.post("/login", data={"username": "sam", "password": "correct horse battery"}).status_code == 400
    page = client.get("/login").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": "sam", "password": "correct horse battery", "csrf_token": token})
    assert response.status_code == 302
    # a form posted without the token is refused, and nothing changes
    response = client.post("/technicians/T-100/corrections", data={
        "kind": "add_punch", "day": "2026-03-03", "time": "16:00", "action": "clock_out", "reason": "forgot"})
    assert response.status_code == 400 and b"Form expired" in response.data
    assert b"No corrections." in client.get("/technicians/T-100/day/2026-03-03").data  # not "c1": tokens may hold it
    db.dispose(app)


@pytest.mark.parametrize("username, url, status", [
    ("maria", "/board", 403), ("maria", "/technicians/T-100/week/2026-03-02", 403), ("maria", "/admin/", 403),
    ("maria", "/payroll/", 403), ("james", "/me/week", 200), ("sam", "/payroll/", 403), ("sam", "/admin/", 403),
    ("sam", "/me/", 403), ("sam", "/technicians/T-200/day/2026-03-04", 404), ("sam", "/board?depot=south", 404),
    ("sam", "/work-orders/WO-90", 404), ("sue", "/technicians/T-100/week/2026-03-02", 404),
    ("sue", "/technicians/T-200/week/2026-03-02", 200), ("pat", "/payroll/", 200),
    ("pat", "/technicians/T-200/day/2026-03-04", 404), ("ada", "/technicians/T-200/day/2026-03-04", 200),
    ("ada", "/admin/", 200), ("ada", "/board?depot=south", 200), ("sam", "/no-such-page", 404),
])
def test_roles_and_depots_decide_what_a_user_sees(client, auth, username, url, status):
    auth.login(username)
    response = client.get(url)
    assert response.status_code == status, response.data[-500:]
    if status in (403, 404):
        assert f"<h1>{status}".encode() in response.data


def test_create_user_from_the_command_line(seeded, tmp_path):
    from depotclock.cli import main

    config = tmp_path / "hub.toml"
    config.write_text(f'database_url = "{seeded[0]}"\nmqtt_url = "mqtt://hub:x@127.0.0.1:1883"\n')
    runner = CliRunner()
    result = runner.invoke(main, ["hub", "--config", str(config), "create-user", "nina", "--role", "supervisor",
                                  "--depot", "north", "--password", "a long enough password"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["hub", "--config", str(config), "create-user", "tom", "--role", "technician",
                                  "--password", "a long enough password"])
    assert result.exit_code != 0 and "technician_id: a technician user needs" in result.output
    result = runner.invoke(main, ["hub", "--config", str(config), "create-user", "short", "--role", "admin",
                                  "--password", "short"])
    assert "password: a password needs at least 10" in result.output
    app = make_app(seeded[0])
    client = app.test_client()
    assert client.post("/login", data={"username": "nina", "password": "a long enough password"}).status_code == 302
    assert client.get("/board").status_code == 200
    db.dispose(app)


def test_a_bad_date_in_an_address_is_a_400_page(client, auth):
    auth.login("sam")
    for url in ("/technicians/T-100/day/2026-02-30", "/timeline?day=tomorrow", "/work-orders/WO-7?start=x"):
        response = client.get(url)
        assert response.status_code == 400 and b"give a date as YYYY-MM-DD" in response.data, url
