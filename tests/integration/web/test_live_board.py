"""The live board's table as the page polls it (issue 18): an ETag, 304 while nothing
changed, the new table once something did; the same roles and depots as the board."""

from __future__ import annotations

import pytest

SQLITE = pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True)  # the store is not what is tested


@SQLITE
def test_an_unchanged_board_answers_304_and_a_changed_one_the_new_table(client, auth):
    auth.login("sam")
    page = client.get("/board").data.decode()
    assert 'id="live-board"' in page and 'data-src="/board/live?depot=north"' in page
    first = client.get("/board/live?depot=north")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and f'data-etag="{etag}"' in page.replace("&#34;", '"').replace("&quot;", '"')
    assert 'data-technician="T-100" data-state="clocked_in"' in first.data.decode()
    again = client.get("/board/live?depot=north", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    auth.logout()
    auth.login("maria")
    assert client.post("/me/check-in", data={"work_order": "WO-7"}).status_code == 302
    auth.logout()
    auth.login("sam")
    changed = client.get("/board/live?depot=north", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert 'data-technician="T-100" data-state="on_site"' in changed.data.decode()


@SQLITE
def test_the_polled_board_keeps_the_boards_role_and_depot_checks(client, auth):
    auth.login("maria")
    assert client.get("/board/live").status_code == 403
    auth.logout()
    auth.login("sam")
    assert client.get("/board/live?depot=south").status_code == 404
    assert client.get("/board?refresh=1").data.decode().count('http-equiv="refresh"') == 0
