"""`depotclock demo` brings up broker, database, company, hub ingest and web, a kiosk and
a van, and Ctrl-C stops all of it. One demo serves the tests that only look at it."""

from __future__ import annotations

import json
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from depotclock.cli import main

DEPOTCLOCK = Path(sys.executable).with_name("depotclock")


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass(frozen=True)
class RunningDemo:
    state: Path
    output: str

    def query(self, sql: str, *args) -> list[tuple]:
        with closing(sqlite3.connect(self.state / "hub.db")) as db:
            return db.execute(sql, args).fetchall()


@pytest.fixture(scope="module")
def running_demo(tmp_path_factory):
    state = tmp_path_factory.mktemp("demo") / "demo"
    demo = subprocess.Popen([str(DEPOTCLOCK), "demo", "--state-dir", str(state)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    for line in demo.stdout:
        output.append(line)
        if "screen: http://" in line:  # the last line it prints
            break
    yield RunningDemo(state, "".join(output))
    demo.send_signal(signal.SIGINT)
    assert demo.wait(20) == 0


def _wait_for(condition, timeout: float):
    deadline = time.monotonic() + timeout
    while not (found := condition()) and time.monotonic() < deadline:
        time.sleep(0.5)
    return found


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
    assert re.search(r"technicians +5", status.output)  # four with badges, Rosa with her phone
    assert "hub login accepted" in status.output

    demo.send_signal(signal.SIGINT)
    assert demo.wait(20) == 0
    assert "Stopping the demo depot." in demo.stdout.read()
    assert not _port_open(port)


def test_the_demo_hub_stores_what_a_kiosk_sends(running_demo):
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    from tests.integration.ingest.messages import punch

    hub_url = (running_demo.state / "hub.toml").read_text().split('mqtt_url = "')[1].split('"')[0]
    port = int(hub_url.rsplit(":", 1)[1])
    hub_user, hub_password = hub_url.split("//")[1].split("@")[0].split(":")
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.username_pw_set(hub_user, hub_password)  # the hub account may write any topic
    client.connect("127.0.0.1", port)
    client.loop_start()
    from datetime import datetime, timezone

    # A badge nobody holds, so the demo's own badge-ins are not disturbed.
    topic, payload = punch(1, badge_id="0C0FFEE0", kiosk="kiosk-north-1", at=datetime.now(timezone.utc))
    client.publish(topic, payload, qos=1).wait_for_publish(5)
    client.disconnect()
    stored = _wait_for(lambda: running_demo.query(
        "SELECT technician_id, flags FROM punches WHERE id = ?", json.loads(payload)["id"].replace("-", "")), 20)
    assert stored == [(None, '["unknown_badge"]')]  # stored, and flagged for a supervisor


def test_the_demo_van_drives_its_day_into_the_hub(running_demo):
    """van-12 replays its recorded day (firmware/routes) through the real vehicle unit; its
    ignition changes and fixes reach the demo's database, laid on today in Chicago."""
    from datetime import datetime, timedelta, timezone
    from zoneinfo import ZoneInfo

    chicago = ZoneInfo("America/Chicago")
    now = datetime.now(chicago)
    days = {now.date().isoformat(), (now - timedelta(minutes=10)).date().isoformat()}
    query = "SELECT type, at FROM telemetry_events WHERE vehicle_id = 'van-12' ORDER BY at"
    # the engine starts at 07:18, 18 s into the day at 60x
    rows = _wait_for(lambda: (r := running_demo.query(query)) and {"fix", "ignition"} <= {x[0] for x in r} and r, 90)
    assert rows, (running_demo.state / "van-12" / "van.log").read_text()
    first = datetime.fromisoformat(rows[0][1]).replace(tzinfo=timezone.utc).astimezone(chicago)  # stored in UTC
    assert first.date().isoformat() in days and first.strftime("%H:%M") == "07:00"


@pytest.mark.parametrize("local_now", ["06:00", "12:00", "23:30"])
def test_the_demo_company_has_the_vans_driver_all_through_its_recorded_day(tmp_path, local_now):
    """Issue 18: seeded at any hour, van-12's assignment to Maria and her badge cover the
    recorded day the van drives (today in Chicago) and the day of history, so none of its
    legs is left without a driver."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from depotclock.demo_company import seed_demo_company
    from firmware.replay import DEFAULT_ROUTE, load_route
    from hub.rules.events import Place
    from hub.rules.leg_attribution import Assignment, driver
    from hub.rules.legs import Leg
    from hub.store.engine import make_engine, session_factory
    from hub.store.migrate import upgrade
    from hub.store.models import Badge, VehicleAssignment

    chicago = ZoneInfo("America/Chicago")
    now = datetime.combine(datetime(2026, 3, 4).date(), time.fromisoformat(local_now), chicago)
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    upgrade(url)
    seed_demo_company(url, now)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        assigned = [Assignment(a.technician_id, a.starts_at, a.ends_at) for a in session.scalars(
            select(VehicleAssignment).where(VehicleAssignment.vehicle_id == "van-12"))]
        (badge,) = session.scalars(select(Badge).where(Badge.badge_id == "DEADBEEF"))
    engine.dispose()
    route = load_route(DEFAULT_ROUTE, now.date())
    yesterday = datetime.combine(now.date() - timedelta(days=1), time(7), chicago)
    for at in (yesterday, *(event.at for event in route)):
        leg = Leg(at, at + timedelta(minutes=1), None, None, 1.0, Place.OTHER, None, Place.OTHER, None)
        assert driver(leg, [], [], assigned) == ("T-100", "assignment"), at
    assert badge.technician_id == "T-100" and badge.active_from <= yesterday


def test_the_demo_vans_legs_count_in_marias_timesheet(running_demo):
    """The legs van-12 drives in the demo are Maria's (her cab badge, her assignment), and
    her day's page lists them, so the board and her timesheet show the van's driving."""
    import http.cookiejar
    import urllib.parse
    import urllib.request

    query = "SELECT id, technician_id, start_at FROM drive_legs WHERE vehicle_id = 'van-12' AND built_at > ?"
    seeded = running_demo.query("SELECT MIN(built_at) FROM drive_legs")[0][0]  # the day of history's
    legs = _wait_for(lambda: (rows := running_demo.query(query, seeded)) and all(r[1] for r in rows) and rows, 120)
    assert legs, (running_demo.query(query, seeded), (running_demo.state / "hub-ingest.log").read_text()[-2000:])
    assert {tech for _, tech, _ in legs} == {"T-100"}, legs
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("America/Chicago")

    def local_day(start: str):
        return datetime.fromisoformat(start).replace(tzinfo=timezone.utc).astimezone(zone).date()

    day = local_day(legs[0][2])
    text = running_demo.output
    base, password = re.search(r"web +(http://127\.0\.0\.1:\d+)/board +\(log in as sam, password (\S+)\)", text).groups()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    login = opener.open(f"{base}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    opener.open(f"{base}/login", data=urllib.parse.urlencode(
        {"username": "sam", "password": password, "csrf_token": token}).encode(), timeout=10).read()

    def missing_from_the_page() -> list[int]:
        """The day's legs as stored now that her day's page does not list. The van is
        still driving: a leg may be rebuilt between a query and a page, so both are read
        again until they agree."""
        day_legs = [leg_id for leg_id, _, start in running_demo.query(query, seeded) if local_day(start) == day]
        page = opener.open(f"{base}/technicians/T-100/day/{day.isoformat()}", timeout=10).read().decode()
        return [leg_id for leg_id in day_legs if f'data-event="leg-{leg_id}"' not in page]

    assert _wait_for(lambda: not missing_from_the_page(), 60), missing_from_the_page()


def test_the_demo_kiosk_badges_everyone_in(running_demo):
    """The kiosk process works from the roster the hub publishes; the demo taps each
    technician's badge and a stranger's, and the hub stores the punches by technician and
    the stranger's read for enrollment."""
    expected = [(t, "clock_in") for t in ("T-100", "T-101", "T-102", "T-103")]
    query = ("SELECT technician_id, action FROM punches WHERE badge_family = 'simulated' "
             "ORDER BY technician_id")
    punches = _wait_for(lambda: (p := running_demo.query(query)) == expected and p, 60)
    assert punches == expected, (running_demo.state / "kiosk-north-1" / "kiosk.log").read_text()
    strangers = _wait_for(lambda: running_demo.query("SELECT badge_id FROM unknown_badge_reads"), 20)
    assert strangers == [("0BADCAFE",)]


def test_the_demo_web_opens_on_the_board_with_the_printed_login(running_demo):
    """The demo prints the web address and sam's random password; that login works, the
    board shows the demo's technicians and yesterday's timeline has a day of activity."""
    import http.cookiejar
    import urllib.parse
    import urllib.request

    text = running_demo.output
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

    def everyone_in() -> str | None:  # the kiosk badges everyone in, one every few seconds
        page = opener.open(f"{base}/board", timeout=10).read().decode()
        off = re.findall(r'data-technician="([^"]+)" data-state="off"', page)
        return page if set(off) <= {"T-104"} else None  # Rosa has no badge: she clocks from her phone

    assert _wait_for(everyone_in, 30)
    timeline = opener.open(yesterday, timeout=10).read().decode()
    assert timeline.count('data-category="on_site"') >= 4 and "Maria Lopez" in timeline


def test_a_visitor_clocks_in_as_the_demo_technician_from_a_phone_sized_window(running_demo, browser, artifacts):
    """The demo prints a technician's login (Rosa: no badge, off the clock); in a 390x844
    window her day's page offers Clock in, and pressing it puts her at work."""
    from tests.fakes.browser import log_in

    phone = re.search(r"phone +(http://127\.0\.0\.1:\d+)/me/ +\(log in as (\w+), password (\S+), in a",
                      running_demo.output)
    assert phone, running_demo.output
    base, username, password = phone.groups()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        log_in(page, base, username, password)
        page.wait_for_selector("#clock-state >> text=Off the clock")
        with page.expect_navigation():  # the page reloads with the hub's word once the punch is sent
            page.click("#clock .steps:visible >> text=Clock in")
        page.wait_for_selector("#clock-state >> text=At work")
        page.screenshot(path=artifacts / "clocked-in.png", full_page=True)
    finally:
        context.close()
    punches = _wait_for(lambda: running_demo.query("SELECT action, source FROM punches WHERE technician_id = 'T-104'"), 30)
    assert punches == [("clock_in", "phone")]
