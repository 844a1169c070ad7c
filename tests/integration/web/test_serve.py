"""`depotclock hub serve`: the web app in a real server, threaded or under gunicorn with
several workers sharing one secret key, stopped by SIGTERM."""

from __future__ import annotations

import http.cookiejar
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from hub.store.migrate import upgrade
from tests.integration.web.company import PASSWORD, seed

DEPOTCLOCK = Path(sys.executable).with_name("depotclock")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("workers", [0, 2])
def test_serve_answers_and_stops(tmp_path, workers):
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    upgrade(url)
    seed(url)
    config = tmp_path / "hub.toml"
    config.write_text(f'database_url = "{url}"\nmqtt_url = "mqtt://hub:x@127.0.0.1:1883"\n')
    port = _free_port()
    server = subprocess.Popen([str(DEPOTCLOCK), "hub", "--config", str(config), "serve", "--port", str(port),
                               "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5).read().decode()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert re.search(r'name="csrf_token"', page)
        spec = urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5).read()
        assert b'"openapi"' in spec
        # a login made in one worker holds in every other: they share the secret key
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"http://127.0.0.1:{port}/login", timeout=5).read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"username": "sam", "password": PASSWORD, "csrf_token": token}).encode()
        assert opener.open(f"http://127.0.0.1:{port}/login", data=form, timeout=5).url.endswith("/board")
        for _ in range(8):
            assert opener.open(f"http://127.0.0.1:{port}/board", timeout=5).url.endswith("/board")
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) in (0, -signal.SIGTERM)
