"""The payroll page's exports (issue 8): payroll and admin only, the user's depots only,
bad input named next to its field, and every download byte for byte what the record
holds, its SHA-256 matching."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from hub.store.engine import make_engine, session_factory
from hub.store.models import PayrollExport, PayrollExportChunk, PayrollExportFile, PayrollIdentity
from hub.web import db
from tests.integration.web.company import stored
from tests.integration.web.conftest import make_app

PREVIEW = {"day": "2026-03-04", "format": "generic", "preview": "y"}


def _kept(url: str) -> dict[int, bytes]:
    """Each recorded file's bytes, straight from the archive's chunks."""
    engine = make_engine(url)
    with session_factory(engine)() as session:
        files = {f.id: b"".join(session.scalars(select(PayrollExportChunk.data).where(
            PayrollExportChunk.file_id == f.id).order_by(PayrollExportChunk.seq)))
            for f in session.scalars(select(PayrollExportFile))}
        sums = {f.id: f.sha256 for f in session.scalars(select(PayrollExportFile))}
    engine.dispose()
    return {i: (data, sums[i]) for i, data in files.items()}


def _links(page: str) -> list[str]:
    return sorted(set(re.findall(r'href="(/payroll/exports/\d+/files/\d+)"', page)))


def test_payroll_previews_the_period_and_downloads_each_file_byte_for_byte(client, auth, seeded):
    auth.login("pat")
    response = client.post("/payroll/exports/", data=PREVIEW)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-500:]
    assert 'id="export-result"' in page and 'data-preview="yes"' in page
    assert "depotclock-hours-" in page and "-PREVIEW.csv" in page
    assert "The period’s first export." in page
    links = _links(page)
    assert len(links) == 2  # hours and detail
    kept = _kept(seeded[0])
    for link in links:
        file_id = int(link.rsplit("/", 1)[1])
        data, sha = kept[file_id]
        download = client.get(link)
        assert download.status_code == 200
        assert download.data == data
        assert hashlib.sha256(download.data).hexdigest() == sha == download.headers["ETag"].strip('"')
        assert sha in page
        assert "attachment" in download.headers["Content-Disposition"]
    hours = client.get(links[0]).get_data(as_text=True) + client.get(links[1]).get_data(as_text=True)
    assert "T-100" in hours and "T-200" not in hours  # pat payrolls the north depot only


def test_an_export_after_a_preview_says_who_was_left_out_and_what_changed(client, auth):
    auth.login("pat")
    client.post("/payroll/exports/", data=PREVIEW)
    response = client.post("/payroll/exports/", data={"day": "2026-03-02", "format": "gusto", "confirm_empty": "yes"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-preview="no"' in page
    left_out = page.split('id="left-out"')[1].split("</table>")[0]
    assert 'data-technician="T-100"' in left_out and "not approved for every week of the period" in left_out
    assert "T-200" not in page
    changes = page.split('id="changes"')[1].split("</table>")[0]
    assert 'data-technician="T-100"' in changes and "in the file → not approved" in changes
    past = page.split('id="past-exports"')[1]
    assert past.count("data-export=") == 2 and "pat" in past


def test_an_export_nobody_would_go_in_asks_first_and_records_nothing_until_confirmed(client, auth, seeded):
    auth.login("pat")
    asked = client.post("/payroll/exports/", data={"day": "2026-03-02", "format": "gusto"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 422 and 'id="confirm-empty"' in page and "Nothing was recorded." in page
    would = page.split('id="would-be-left-out"')[1].split("</table>")[0]
    assert 'data-technician="T-100"' in would and "not approved for every week of the period" in would
    assert 'name="confirm_empty" value="yes"' in page and 'name="format" value="gusto"' in page
    assert stored(seeded[0], PayrollExport) == [] and 'id="export-result"' not in page
    confirmed = client.post("/payroll/exports/", data={"day": "2026-03-02", "format": "gusto", "confirm_empty": "yes"})
    assert confirmed.status_code == 200 and 'id="exported-count">0<' in confirmed.get_data(as_text=True)
    assert [(e.format, e.technicians, e.left_out) for e in stored(seeded[0], PayrollExport)] == [("gusto", 0, 2)]


def test_bad_input_is_named_next_to_its_field(client, auth):
    auth.login("pat")
    response = client.post("/payroll/exports/", data={"day": "not a day", "format": "generic"})
    assert response.status_code == 422
    assert 'data-field="day"' in response.get_data(as_text=True)
    response = client.post("/payroll/exports/", data={"day": "2026-03-04", "format": "adp"})  # no company code
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'data-field="format">[^<]*company', page)
    response = client.post("/payroll/exports/", data={"day": "2026-03-04", "format": "csv"})
    assert response.status_code == 422 and 'data-field="format"' in response.get_data(as_text=True)


def test_a_preview_is_only_the_generic_csv_and_missing_identities_are_named(client, auth, seeded):
    """Issue 17 #1, #3: an import format's preview is refused; a Gusto export without a
    technician's Gusto id writes nothing and names them."""
    auth.login("pat")
    response = client.post("/payroll/exports/", data={**PREVIEW, "format": "gusto"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and re.search(r'data-field="format">[^<]*a preview is written only as', page)
    engine = make_engine(seeded[0])
    with session_factory(engine).begin() as session:
        session.delete(session.get(PayrollIdentity, ("T-101", "gusto")))
    engine.dispose()
    response = client.post("/payroll/exports/", data={"day": "2026-03-02", "format": "gusto"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "T-101 James Carter: no Gusto employee id" in page
    assert "T-200" not in page  # south: not pat's
    assert not _kept(seeded[0])


def test_supervisors_and_technicians_may_not_export_or_download(client, auth):
    auth.login("pat")
    link = _links(client.post("/payroll/exports/", data=PREVIEW).get_data(as_text=True))[0]
    auth.logout()
    for username in ("maria", "sam", "sue"):
        auth.login(username)
        assert client.get("/payroll/exports/").status_code == 403
        assert client.post("/payroll/exports/", data=PREVIEW).status_code == 403
        assert client.get(link).status_code == 403
        auth.logout()


def test_an_export_with_technicians_of_other_depots_is_not_there_for_a_one_depot_clerk(client, auth):
    auth.login("ada")
    page = client.post("/payroll/exports/", data=PREVIEW).get_data(as_text=True)
    link = _links(page)[0]
    assert client.get(link).status_code == 200
    auth.logout()
    auth.login("pat")
    listing = client.get("/payroll/exports/?day=2026-03-04").get_data(as_text=True)
    assert "No exports of this period yet." in listing
    assert client.get(link).status_code == 404
    assert client.get("/payroll/exports/999/files/1").status_code == 404


def test_the_form_carries_a_csrf_token_and_a_post_without_one_is_refused(seeded):
    app = make_app(seeded[0], WTF_CSRF_ENABLED=True)
    client = app.test_client()
    login = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
    client.post("/login", data={"username": "pat", "password": "correct horse battery", "csrf_token": token})
    page = client.get("/payroll/exports/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert client.post("/payroll/exports/", data=PREVIEW).status_code == 400
    assert client.post("/payroll/exports/", data={**PREVIEW, "csrf_token": token}).status_code == 200
    db.dispose(app)
