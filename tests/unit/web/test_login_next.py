"""A login's `next` leads only back to this site (issue 22's open redirect): whatever a
browser would read as another host, after dropping tabs and newlines and turning
backslashes into slashes, is refused."""

from __future__ import annotations

import pytest

from hub.web.auth import local_path

HOSTILE = [
    "/\t/evil.example/", "/\n/evil.example/", "/\r/evil.example/", "\t//evil.example/", "//evil.example/",
    "///evil.example/", "/\\evil.example/", "\\/evil.example/", "\\\\evil.example", "/\\/evil.example",
    "https://evil.example/", "http:/evil.example", "javascript:alert(1)", "evil.example", " //evil.example",
    "\x00//evil.example", "/\x00/evil.example", "/\x0b/evil.example", "/\x7f/evil.example", "/\x85/evil.example",
    "", None, "/" + "a" * 2001,
]
LOCAL = ["/board", "/exceptions?depot=north", "/technicians/T-100/week/2026-03-02", "/%09/evil.example/",
         "/a//b", "/?next=//evil.example"]


@pytest.mark.parametrize("target", HOSTILE)
def test_a_target_a_browser_could_read_as_another_site_is_refused(target):
    assert local_path(target) is None


@pytest.mark.parametrize("target", LOCAL)
def test_a_path_on_this_site_is_kept(target):
    assert local_path(target) == target
