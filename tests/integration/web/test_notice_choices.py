"""Each user's account page: their email address and the notices they receive, a CSRF-
protected form that refuses hostile input naming the field; the admin sets a user's
address and reads the log of what was sent, times in the company's zone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from hub.store.engine import make_engine, session_factory
from hub.store.models import Notification, NotificationPreference, User
from hub.web import db
from tests.integration.web.company import NOW, stored
from tests.integration.web.conftest import make_app

# The pages on SQLite only: the store's side of notices runs on both in tests/integration/notify.
pytestmark = pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)


def _checked(page: str) -> set[str]:
    return set(re.findall(r'<input checked id="notices-\d" name="notices" type="checkbox" value="(\w+)"', page))


def test_a_user_chooses_the_notices_they_receive_and_hostile_input_is_refused(client, auth, seeded):
    auth.login("maria")
    page = client.get("/account/").data.decode()
    assert 'href="/account/"' in client.get("/me/").data.decode()  # reached from every page's header
    assert "My week was sent back to me" in page and "weeks_waiting" not in page  # a technician's kinds, in words
    assert _checked(page) == {"shift_open", "missing_punch", "week_returned"}  # all on until chosen
    hostile = [
        ({"email": "maria@example.com\r\nBcc: everyone@example.com", "notices": "week_returned"}, "email",
         "not an email address"),
        ({"email": "m" * 10_000 + "@example.com"}, "email", "up to 254 characters"),
        ({"email": "maria@example.com", "notices": "DROP TABLE users; --" * 100}, "notices", "choose among the notices"),
        ({"email": "maria@example.com", "notices": "weeks_waiting"}, "notices", "choose among the notices"),
    ]
    for form, field, said in hostile:
        response = client.post("/account/", data=form)
        assert response.status_code == 422, form
        error = response.data.decode().split(f'data-field="{field}">', 1)[1].split("<", 1)[0]
        assert said in error and len(error) < 300, error
    assert [u.email for u in stored(seeded[0], User) if u.username == "maria"] == [None]  # nothing saved
    assert stored(seeded[0], NotificationPreference) == []
    response = client.post("/account/", data={"email": " Maria@Example.com ", "notices": ["week_returned"]})
    assert response.status_code == 302
    assert _checked(client.get("/account/").data.decode()) == {"week_returned"}
    assert [u.email for u in stored(seeded[0], User) if u.username == "maria"] == ["Maria@example.com"]


def test_the_account_form_needs_its_csrf_token(seeded):
    app = make_app(seeded[0], WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").data.decode()
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"username": "sam", "password": "correct horse battery", "csrf_token": token})
    assert client.post("/account/", data={"email": "sam@example.com"}).status_code == 400
    assert [u.email for u in stored(seeded[0], User) if u.username == "sam"] == [None]
    db.dispose(app)


def test_the_admin_sets_an_address_and_reads_the_log_in_the_companys_zone(client, auth, seeded):
    url = seeded[0]
    auth.login("ada")
    sam = next(u for u in stored(url, User) if u.username == "sam")
    form = {"username": "sam", "role": "supervisor", "depots": "north", "active": "y"}
    refused = client.post(f"/admin/users/{sam.id}", data={**form, "email": "sam at example"})
    assert refused.status_code == 422 and b'data-field="email"' in refused.data
    assert client.post(f"/admin/users/{sam.id}", data={**form, "email": "sam@example.com"}).status_code == 302
    assert b"sam@example.com" in client.get("/admin/users/").data
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        user_id = session.scalar(select(User.id).where(User.username == "sam"))
        session.add(Notification(user_id=user_id, kind="device_offline", key="device_offline:kiosk:k:1",
                                 email="sam@example.com", subject="Kiosk North door (North Depot) offline",
                                 body_text="…", created_at=NOW, status="failed", attempts=2,
                                 last_attempt_at=NOW + timedelta(minutes=1), error="550 5.1.1 No such mailbox here"))
    engine.dispose()
    page = client.get("/admin/notifications").data.decode()
    assert "A kiosk or van of my depots is offline" in page and "550 5.1.1 No such mailbox here" in page
    assert ">Mar 04 14:00</time>" in page and ">Mar 04 14:01</time>" in page and "failed" in page  # 20:00 UTC in Chicago
