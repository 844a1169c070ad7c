"""`depotclock demo` brings up broker, database and company, and Ctrl-C stops all of it."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from depotclock.cli import main
from hub.demo_company import DEMO_DAY, HISTORY_BOOT

DEPOTCLOCK = Path(sys.executable).with_name("depotclock")


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _history_punches() -> int:
    """Punches in the day of activity the demo seeds (yesterday's)."""
    return sum(1 for steps in DEMO_DAY.values() for _, what in steps
               if what.split()[0] in ("in", "out", "break", "back"))


def test_demo_runs_and_stops_on_ctrl_c(tmp_path):
    state = tmp_path / "demo"
    demo = subprocess.Popen(
        [str(DEPOTCLOCK), "demo", "--state-dir", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in demo.stdout:
        lines.append(line)
        if line.startswith("Ctrl-C"):
            break
    output = "".join(lines)
    assert "demo depot is up" in output, output
    port = int(re.search(r"broker +mqtt://127\.0\.0\.1:(\d+)", output).group(1))
    assert _port_open(port)

    status = CliRunner().invoke(main, ["hub", "--config", str(state / "hub.toml"), "status"])
    assert status.exit_code == 0, status.output
    assert re.search(r"technicians +4", status.output)
    assert "hub login accepted" in status.output

    demo.send_signal(signal.SIGINT)
    assert demo.wait(20) == 0
    assert "Stopping the demo depot." in demo.stdout.read()
    assert not _port_open(port)


def test_the_demo_hub_stores_what_a_kiosk_sends(tmp_path):
    import time

    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    from tests.integration.ingest.messages import punch

    state = tmp_path / "demo"
    demo = subprocess.Popen([str(DEPOTCLOCK), "demo", "--state-dir", str(state)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in demo.stdout:
        if line.startswith("Ctrl-C"):
            break
    hub_url = (state / "hub.toml").read_text().split('mqtt_url = "')[1].split('"')[0]
    port = int(hub_url.rsplit(":", 1)[1])
    hub_user, hub_password = hub_url.split("//")[1].split("@")[0].split(":")
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.username_pw_set(hub_user, hub_password)  # the hub account may write any topic
    client.connect("127.0.0.1", port)
    client.loop_start()
    client.publish(*punch(1, kiosk="kiosk-north-1"), qos=1).wait_for_publish(5)
    expected = rf"punches +{_history_punches() + 1}\b"  # the day the demo seeds, and this one
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        status = CliRunner().invoke(main, ["hub", "--config", str(state / "hub.toml"), "status"])
        if re.search(expected, status.output):
            break
        time.sleep(0.3)
    client.disconnect()
    demo.send_signal(signal.SIGINT)
    assert demo.wait(20) == 0
    assert re.search(expected, status.output), status.output


def test_the_demo_van_drives_its_day_into_the_hub(tmp_path):
    """van-12 replays its recorded day (firmware/routes) through the real vehicle unit; its
    ignition changes and fixes reach the demo's database, laid on today in Chicago."""
    import sqlite3
    import time
    from contextlib import closing
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    chicago = ZoneInfo("America/Chicago")
    days = {datetime.now(chicago).date().isoformat()}
    state = tmp_path / "demo"
    demo = subprocess.Popen([str(DEPOTCLOCK), "demo", "--state-dir", str(state)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in demo.stdout:
        if line.startswith("van-12 is driving"):
            break
    rows: list[tuple] = []
    deadline = time.monotonic() + 90  # the engine starts at 07:18, 18 s into the day at 60x
    while time.monotonic() < deadline and not {"fix", "ignition"} <= {r[0] for r in rows}:
        time.sleep(0.5)
        with closing(sqlite3.connect(state / "hub.db")) as db:
            rows = db.execute(
                "SELECT type, at FROM telemetry_events WHERE vehicle_id = 'van-12' ORDER BY at"
            ).fetchall()
    van_log = (state / "van-12" / "van.log").read_text()
    demo.send_signal(signal.SIGINT)
    assert demo.wait(20) == 0
    days.add(datetime.now(chicago).date().isoformat())
    assert {"fix", "ignition"} <= {r[0] for r in rows}, van_log
    first = datetime.fromisoformat(rows[0][1]).replace(tzinfo=timezone.utc).astimezone(chicago)  # stored in UTC
    assert first.date().isoformat() in days and first.strftime("%H:%M") == "07:00"


def test_the_demo_kiosk_badges_everyone_in(tmp_path):
    """The kiosk process works from the roster the hub publishes; the demo taps each
    technician's badge and a stranger's, and the hub stores the punches by technician and
    the stranger's read for enrollment."""
    import sqlite3
    import time
    from contextlib import closing

    state = tmp_path / "demo"
    demo = subprocess.Popen([str(DEPOTCLOCK), "demo", "--state-dir", str(state)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    for line in demo.stdout:
        output.append(line)
        if "screen: http://" in line:
            break
    punches, strangers = [], []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (len(punches) == 4 and strangers):
        time.sleep(0.5)
        with closing(sqlite3.connect(state / "hub.db")) as db:
            punches = db.execute("SELECT technician_id, action FROM punches WHERE boot <> ? ORDER BY technician_id",
                                 (HISTORY_BOOT,)).fetchall()
            strangers = db.execute("SELECT badge_id FROM unknown_badge_reads").fetchall()
    kiosk_log = (state / "kiosk-north-1" / "kiosk.log").read_text()
    demo.send_signal(signal.SIGINT)
    assert demo.wait(20) == 0
    assert punches == [(t, "clock_in") for t in ("T-100", "T-101", "T-102", "T-103")], kiosk_log
    assert strangers == [("0BADCAFE",)]


def test_the_demo_web_opens_on_the_board_with_the_printed_login(tmp_path):
    """The demo prints the web address and sam's random password; that login works, the
    board shows the demo's technicians and yesterday's timeline has a day of activity."""
    import http.cookiejar
    import time
    import urllib.parse
    import urllib.request

    state = tmp_path / "demo"
    demo = subprocess.Popen([str(DEPOTCLOCK), "demo", "--state-dir", str(state)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    for line in demo.stdout:
        output.append(line)
        if line.startswith("Ctrl-C"):
            break
    text = "".join(output)
    try:
        web = re.search(r"web +(http://127\.0\.0\.1:\d+)/board +\(log in as sam, password (\S+)\)", text)
        assert web, text
        base, password = web.group(1), web.group(2)
        yesterday = re.search(r"yesterday +(http://\S+)", text).group(1)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        login = opener.open(f"{base}/login", timeout=10).read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
        form = urllib.parse.urlencode({"username": "sam", "password": password, "csrf_token": token}).encode()
        board = opener.open(f"{base}/login", data=form, timeout=10)
        page = board.read().decode()
        assert board.url.endswith("/board"), board.url
        assert "North Depot" in page and 'data-technician="T-100"' in page
        deadline = time.monotonic() + 30  # the kiosk badges everyone in, one every few seconds
        while page.count('data-state="off"') > 0 and time.monotonic() < deadline:
            time.sleep(1)
            page = opener.open(f"{base}/board", timeout=10).read().decode()
        assert page.count('data-state="off"') == 0, page
        timeline = opener.open(yesterday, timeout=10).read().decode()
        assert timeline.count('data-category="on_site"') >= 4 and "Maria Lopez" in timeline
    finally:
        demo.send_signal(signal.SIGINT)
        assert demo.wait(20) == 0
