"""The supervisor's pages under load: the live board (its page and the table open boards
poll) and the team timeline of a depot of 200 technicians with a day of activity, the
team timesheet of the week and the approvals queue (every technician's week submitted),
served by a real server process (gunicorn, several workers) and requested from a thread
pool on 127.0.0.1, bounded in requests and time.
Baseline: the same load on the app's static stylesheet (the server's own floor).

Run: .venv/bin/python bench/web.py [--technicians 200] [--requests 4000] [--concurrency 8] [--cache-seconds 5]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from hub.services.accounts import create_user
from hub.store.engine import make_engine, session_factory
from hub.store.migrate import upgrade
from hub.store.models import (
    Depot,
    DriveLeg,
    Kiosk,
    Punch,
    Technician,
    TimesheetApproval,
    Vehicle,
    VehicleAssignment,
    WorkOrder,
    WorkOrderVisit,
)

PASSWORD = "bench password 1"
TIME_LIMIT_S = 120.0
PAGES = ["/board", "/board/live", "/timeline.svg", "/team/", "/approvals/"]  # /board/live: what open boards poll


def _afternoon_zone(now: datetime) -> str:
    """A fixed-offset zone where it is early afternoon now, so the depot has a day so far."""
    for offset in range(-12, 15):
        if 13 <= (now + timedelta(hours=offset)).hour <= 14:
            return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"
    return "UTC"


def seed(url: str, technicians: int, now: datetime) -> str:
    zone = _afternoon_zone(now)
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    rnd = random.Random(7)

    def local(hour: float) -> datetime:
        return datetime.combine(today, datetime.min.time(), tz) + timedelta(hours=hour)

    engine = make_engine(url)
    with session_factory(engine).begin() as s:
        s.add(Depot(id="north", name="North Depot", timezone=zone, lat=41.88, lon=-87.68))
        s.flush()
        s.add(Kiosk(id="kiosk-1", name="Door", depot_id="north"))
        s.add_all(WorkOrder(id=f"WO-{n}", customer=f"Customer {n}", title="Service", depot_id="north")
                  for n in range(400))
        for n in range(technicians):
            tech = f"T-{n:04d}"
            s.add(Technician(id=tech, name=f"Technician {n:04d}", job_title="HVAC", wage=Decimal("30"),
                             cost_rate=Decimal("40"), billing_rate=Decimal("125"), payroll_timezone=zone,
                             home_depot_id="north"))
            s.add(Vehicle(id=f"van-{n:04d}", name=f"Van {n}", depot_id="north"))
        s.flush()
        sam = create_user(s, "sam", PASSWORD, "supervisor", now, depots=["north"])
        s.flush()
        monday = today - timedelta(days=today.weekday())
        s.add_all(TimesheetApproval(technician_id=f"T-{n:04d}", week_start=monday, level="technician",
                                    decision="submitted", decided_by=sam.id, decided_at=now)
                  for n in range(technicians))
        seq = 0

        def punch(tech: str, action: str, at: datetime, kind: str | None = None) -> None:
            nonlocal seq
            seq += 1
            s.add(Punch(id=uuid.uuid4(), kiosk_id="kiosk-1", seq=seq, at=at, utc_offset_min=0, received_at=at,
                        badge_id="B", badge_family="pcsc", badge_raw="b", action=action, break_kind=kind,
                        technician_id=tech, clock_synced=True, boot="bench", monotonic_s=float(seq), flags=[]))

        for n in range(technicians):
            tech, van = f"T-{n:04d}", f"van-{n:04d}"
            s.add(VehicleAssignment(vehicle_id=van, technician_id=tech, starts_at=local(0)))
            t = 6 + rnd.random() * 1.5
            punch(tech, "clock_in", local(t))
            for job in range(3):
                wo = f"WO-{rnd.randrange(400)}"
                drive_end = t + 0.25 + rnd.random() * 0.5
                if local(drive_end) > now:
                    break
                s.add(DriveLeg(vehicle_id=van, technician_id=tech, start_at=local(t + 0.1), end_at=local(drive_end),
                               distance_km=12.0, origin_kind="depot" if job == 0 else "site", destination_kind="site",
                               work_order_id=wo, built_at=now))
                leave = drive_end + 1.5 + rnd.random() * 1.5
                open_visit = local(leave) > now
                s.add(WorkOrderVisit(request_id=f"{tech}-{job}", technician_id=tech, work_order_id=wo,
                                     check_in_at=local(drive_end), check_out_at=None if open_visit else local(leave),
                                     source="web"))
                if open_visit:
                    break
                if job == 0:
                    punch(tech, "break_start", local(leave), "meal")
                    punch(tech, "break_end", local(leave + 0.5))
                    leave += 0.5
                t = leave
            if n % 10 == 0:
                punch(tech, "clock_out", min(local(t + 0.2), now - timedelta(minutes=1)))
    engine.dispose()
    return zone


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server exited")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit("the server did not start")


def login(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": "sam", "password": PASSWORD, "csrf_token": token})
    connection.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"login failed: {response.status}")
    return response.getheader("Set-Cookie").split(";")[0]


def load(port: int, cookie: str, paths: list[str], requests: int, concurrency: int) -> tuple[list[float], float]:
    """Latencies (s) of `requests` GETs cycling through `paths`, and the wall time."""
    deadline = time.monotonic() + TIME_LIMIT_S
    per_worker = requests // concurrency

    def worker(index: int) -> list[float]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        times = []
        for i in range(per_worker):
            if time.monotonic() > deadline:
                break
            path = paths[(index + i) % len(paths)]
            started = time.perf_counter()
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            times.append(time.perf_counter() - started)
            if response.status != 200:
                raise SystemExit(f"GET {path}: {response.status}")
        connection.close()
        return times

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = [t for times in pool.map(worker, range(concurrency)) for t in times]
    return latencies, time.perf_counter() - started


def summary(latencies: list[float], wall: float) -> tuple[float, float, float]:
    cuts = statistics.quantiles(latencies, n=100)
    return cuts[49] * 1000, cuts[94] * 1000, len(latencies) / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--technicians", type=int, default=200)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--cache-seconds", type=float, default=5.0,
                        help="the wall cache's lifetime (0: compute every request)")
    args = parser.parse_args()
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'hub.db'}"
        upgrade(url)
        zone = seed(url, args.technicians, now)
        port = _free_port()
        env = {**os.environ, "DEPOTCLOCK_DATABASE_URL": url, "DEPOTCLOCK_MQTT_URL": "mqtt://hub:x@127.0.0.1:1883",
               "DEPOTCLOCK_TIMEZONE": zone, "DEPOTCLOCK_WEB_WALL_CACHE_S": str(args.cache_seconds)}
        depotclock = str(Path(sys.executable).with_name("depotclock"))
        server = subprocess.Popen([depotclock, "hub", "serve", "--port", str(port), "--workers", str(args.workers)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for(port, server)
            cookie = login(port)
            load(port, cookie, PAGES, 4 * args.workers, args.workers)  # warm every worker
            latencies, wall = load(port, cookie, PAGES, args.requests, args.concurrency)
            by_path = {}
            for path in PAGES:
                lat, w = load(port, cookie, [path], args.requests // 4, args.concurrency)
                by_path[path] = summary(lat, w)
            floor, floor_wall = load(port, cookie, ["/static/style.css"], args.requests, args.concurrency)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
    p50, p95, rps = summary(latencies, wall)
    f50, f95, frps = summary(floor, floor_wall)
    print(f"depot of {args.technicians} technicians, a day of activity; gunicorn {args.workers} workers x 4 threads;"
          f" {args.concurrency} concurrent clients, {len(latencies)} requests; wall cache {args.cache_seconds:g} s")
    for path, (a, b, c) in by_path.items():
        print(f"  {path:<14} p50 {a:6.1f} ms  p95 {b:6.1f} ms  {c:6.1f} req/s")
    print(f"  the mix        p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {rps:6.1f} req/s")
    print(f"  static floor   p50 {f50:6.1f} ms  p95 {f95:6.1f} ms  {frps:6.1f} req/s; p95 ratio to floor {p95 / f95:.1f}")
    print(f"RESULT p50_ms={p50:.1f} p95_ms={p95:.1f} rps={rps:.1f}")


if __name__ == "__main__":
    main()
