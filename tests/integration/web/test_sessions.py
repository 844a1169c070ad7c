"""Web logins are revocable server-side (issue 22): a session cookie captured before logout,
a new password, disabling the user or an admin's "sign out everywhere" no longer works
after it, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hub.store.engine import make_engine, session_factory
from hub.store.models import User
from tests.integration.web.company import PASSWORD


def _login(app, username: str):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _captured(client) -> str:
    return client.get_cookie("session").value


def _replayed(app, cookie: str) -> int:
    """The status of a page asked for with a copied cookie, from another browser."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/board").status_code


def _user_id(url: str, username: str) -> int:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        found = session.scalar(select(User.id).where(User.username == username))
    engine.dispose()
    return found


def test_a_cookie_captured_before_logout_no_longer_works_after_it(app):
    sam = _login(app, "sam")
    cookie = _captured(sam)
    assert _replayed(app, cookie) == 200
    sam.post("/logout")
    assert _replayed(app, cookie) == 302


def test_logging_out_ends_only_that_login(app):
    laptop, wall_screen = _login(app, "sam"), _login(app, "sam")
    laptop.post("/logout")
    assert wall_screen.get("/board").status_code == 200


@pytest.mark.parametrize("change", ["new password", "disabled", "sign out everywhere"])
def test_a_new_password_disabling_or_sign_out_everywhere_ends_every_login(app, seeded, change):
    sam_id = _user_id(seeded[0], "sam")
    cookies = [_captured(_login(app, "sam")) for _ in range(2)]  # a laptop and a wall screen
    assert [_replayed(app, c) for c in cookies] == [200, 200]
    ada = _login(app, "ada")
    form = {"username": "sam", "role": "supervisor", "depots": ["north"], "active": "y"}
    if change == "new password":
        response = ada.post(f"/admin/users/{sam_id}", data=form | {"password": "a brand new password"})
    elif change == "disabled":
        response = ada.post(f"/admin/users/{sam_id}", data=form | {"active": ""})
    else:
        response = ada.post(f"/admin/users/{sam_id}/sign-out")
        assert b"Signed sam out everywhere (2 logins ended)" in ada.get(response.headers["Location"]).data
    assert response.status_code == 302
    assert [_replayed(app, c) for c in cookies] == [302, 302]
    assert ada.get("/board").status_code == 200  # the admin's own login goes on
