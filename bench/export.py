"""A bi-weekly payroll export for 5,000 technicians from PostgreSQL, end to end (read,
timesheets, approval filter, file, record), against a bare SQL read of the same rows;
and its peak memory at 1,000 and 5,000 technicians, which should not grow with them.

A throw-away database depotclock_bench_export_<random> is created, seeded with COPY
(a fortnight of realistic days: clock in at the depot, two or three jobs each with a
drive and a visit, a rest and a meal, a drive back, clock out, now and then a forgotten
clock-out; one technician in five on the California preset) and dropped at the end.

Run: .venv/bin/python bench/export.py [--technicians 5000] [--small 1000] [--format generic]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import tempfile
import time
import tracemalloc
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from hub.services.period_export import export_period
from hub.services.records import window
from hub.settings import AdpExport, ExportSettings, HubSettings, PaychexExport, PayrollSettings
from hub.store.engine import make_engine, session_factory
from hub.store.migrate import upgrade

PG = "postgresql://postgres@127.0.0.1:5432"
FIRST_DAY = date(2026, 3, 2)  # a bi-weekly period's Monday (anchor 2026-01-05)
ZONES = {"flsa": ZoneInfo("America/Chicago"), "california": ZoneInfo("America/Los_Angeles")}
WORK_ORDERS = 20_000
DECIDED = datetime(2026, 3, 16, 15, tzinfo=timezone.utc)


def _admin(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def _tech(i: int) -> str:
    return f"T-{i:05d}"


def seed_company(url: str) -> None:
    with psycopg.connect(url) as connection:
        connection.execute(
            "INSERT INTO depots (id, name, timezone, lat, lon, geofence_radius_m) "
            "VALUES ('north', 'North', 'America/Chicago', 41.88, -87.68, 150)")
        connection.execute("INSERT INTO vehicles (id, name, depot_id, leg_source) VALUES ('van-1', 'Van 1', 'north', 'ignition')")
        connection.execute(
            "INSERT INTO users (username, password_hash, role, active, created_at) "
            "VALUES ('sam', 'x', 'supervisor', true, %s)", (DECIDED,))
        with connection.cursor().copy(
                "COPY work_orders (id, customer, title, radius_m, billable, status, depot_id) FROM STDIN") as copy:
            for n in range(WORK_ORDERS):
                copy.write_row((f"WO-{n}", f"Customer {n % 3000}", "Service call", 100.0, n % 10 != 0, "open", "north"))


def seed_technicians(url: str, first: int, last: int, rnd: random.Random) -> int:
    """Technicians first..last-1 with a fortnight each; returns the rows written."""
    rows = 0
    with psycopg.connect(url) as connection:
        user_id = connection.execute("SELECT id FROM users WHERE username = 'sam'").fetchone()[0]
        cursor = connection.cursor()
        with cursor.copy(
                "COPY technicians (id, name, job_title, payroll_id, wage, cost_rate, billing_rate, "
                "overtime_policy, payroll_timezone, home_depot_id, tracks_time, active) FROM STDIN") as copy:
            for i in range(first, last):
                policy = "california" if i % 5 == 0 else "flsa"
                copy.write_row((_tech(i), f"Tech {i} Example", "Field technician", f"{i:06d}", "31.50", "42.00",
                                "125.00", policy, ZONES[policy].key, "north", True, True))
        punches, legs, visits = [], [], []
        for i in range(first, last):
            fortnight(_tech(i), ZONES["california" if i % 5 == 0 else "flsa"], rnd, punches, legs, visits)
        seq = 0
        with cursor.copy(
                "COPY punches (id, kiosk_id, seq, at, utc_offset_min, received_at, badge_id, badge_family, "
                "badge_raw, action, break_kind, technician_id, clock_synced, boot, monotonic_s, flags) FROM STDIN") as copy:
            for tech, action, at, kind in punches:
                seq += 1
                offset = int(at.utcoffset().total_seconds() // 60)
                copy.write_row((uuid.uuid4(), "kiosk-1", seq, at, offset, at, "0A0B0C0D", "pcsc", "0A0B0C0D",
                                action, kind, tech, True, "boot-1", float(seq), "[]"))
        with cursor.copy(
                "COPY drive_legs (vehicle_id, technician_id, start_at, end_at, distance_km, origin_kind, "
                "destination_kind, work_order_id, built_at) FROM STDIN") as copy:
            for tech, start, end, origin, destination, wo in legs:
                copy.write_row(("van-1", tech, start, end, round(rnd.uniform(3, 40), 1), origin, destination, wo, end))
        with cursor.copy(
                "COPY work_order_visits (request_id, technician_id, work_order_id, check_in_at, check_out_at, "
                "source) FROM STDIN") as copy:
            for tech, wo, check_in, check_out in visits:
                copy.write_row((uuid.uuid4().hex, tech, wo, check_in, check_out, "web"))
        with cursor.copy(
                "COPY timesheet_approvals (technician_id, week_start, level, decision, decided_by, decided_at) "
                "FROM STDIN") as copy:
            for i in range(first, last):
                if rnd.random() < 0.97:  # a few are still waiting for their supervisor
                    for week in (FIRST_DAY, FIRST_DAY + timedelta(days=7)):
                        copy.write_row((_tech(i), week, "supervisor", "approved", user_id, DECIDED))
        rows = len(punches) + len(legs) + 2 * len(visits)
    return rows


def fortnight(tech: str, tz: ZoneInfo, rnd: random.Random, punches, legs, visits) -> None:
    """Ten workdays as bench/timesheets.py writes them, as store rows."""
    for day in range(14):
        if day % 7 >= 5:
            continue
        d = FIRST_DAY + timedelta(days=day)
        t = datetime(d.year, d.month, d.day, 6, tzinfo=tz) + timedelta(minutes=rnd.randrange(90))
        punches.append((tech, "clock_in", t, None))
        place = "depot"
        for job in range(rnd.choice((2, 3))):
            wo = f"WO-{rnd.randrange(WORK_ORDERS)}"
            t += timedelta(minutes=rnd.randrange(5, 20))
            leg_end = t + timedelta(minutes=rnd.randrange(15, 45))
            legs.append((tech, t, leg_end, place, "site", wo))
            t = leg_end + timedelta(minutes=2)
            check_in = t
            if job == 0:
                rest = t + timedelta(minutes=rnd.randrange(40, 90))
                punches += [(tech, "break_start", rest, "rest"), (tech, "break_end", rest + timedelta(minutes=10), None)]
            if job == 1:
                meal = t + timedelta(minutes=rnd.randrange(20, 60))
                punches += [(tech, "break_start", meal, "meal"), (tech, "break_end", meal + timedelta(minutes=30), None)]
            t += timedelta(minutes=rnd.randrange(90, 180))
            visits.append((tech, wo, check_in, t))
            place = "site"
        back = t + timedelta(minutes=rnd.randrange(30, 50))
        legs.append((tech, t, back, "site", "depot", None))
        if rnd.random() > 0.02:
            punches.append((tech, "clock_out", back + timedelta(minutes=rnd.randrange(5, 20)), None))


def bare_read(url: str, settings: HubSettings) -> tuple[float, int]:
    """The floor: the same punches, legs and visits read with plain SQL, nothing computed."""
    lo, hi = window(FIRST_DAY, FIRST_DAY + timedelta(days=13), settings.payroll)
    started = time.perf_counter()
    rows = 0
    with psycopg.connect(url) as connection:
        for sql in (
            "SELECT id, technician_id, action, at, break_kind FROM punches WHERE at >= %s AND at < %s",
            "SELECT id, technician_id, start_at, end_at, distance_km, origin_kind, destination_kind, "
            "work_order_id FROM drive_legs WHERE start_at >= %s AND start_at < %s",
            "SELECT id, technician_id, work_order_id, check_in_at, check_out_at FROM work_order_visits "
            "WHERE check_in_at >= %s AND check_in_at < %s",
        ):
            rows += len(connection.execute(sql, (lo, hi)).fetchall())
    return time.perf_counter() - started, rows


def _cpu() -> tuple[float, float]:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def run_export(url: str, settings: HubSettings, out: Path, format_name: str, workers: int,
               traced: bool) -> tuple[float, float, int]:
    """Seconds, peak MB of this process (traced runs only) and technicians in the file;
    prints the CPU seconds spent here and in the workers (the machine may be shared)."""
    engine = make_engine(url)
    gc.collect()
    if traced:
        tracemalloc.start()
    cpu_before = _cpu()
    started = time.perf_counter()
    with session_factory(engine)() as session:
        result = export_period(session, settings, FIRST_DAY + timedelta(days=3), format_name, out_dir=out,
                               workers=workers)
    seconds = time.perf_counter() - started
    if not traced:
        own, children = (after - before for after, before in zip(_cpu(), cpu_before))
        print(f"  cpu seconds: {own:.2f} in this process, {children:.2f} in {workers} workers; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    peak = 0.0
    if traced:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    engine.dispose()
    return seconds, peak, result.exported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--technicians", type=int, default=5000)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--format", default="generic", choices=["generic", "adp", "paychex", "iif", "gusto"])
    parser.add_argument("--workers", type=int, default=2, help="processes computing timesheets ([export] workers)")
    args = parser.parse_args()
    name = f"depotclock_bench_export_{uuid.uuid4().hex[:8]}"
    url = f"{PG}/{name}"
    _admin(f'CREATE DATABASE "{name}"')
    try:
        upgrade(url)
        settings = HubSettings(
            database_url=url, mqtt_url="mqtt://hub:x@127.0.0.1:1883", payroll=PayrollSettings(),
            export=ExportSettings(adp=AdpExport(company_code="DC1"), paychex=PaychexExport(client_id="7001")),
        )
        rnd = random.Random(2026)
        seed_company(url)
        seeded, peaks = 0, {}
        with tempfile.TemporaryDirectory() as out:
            for size in (args.small, args.technicians):
                started = time.perf_counter()
                rows = seed_technicians(url, seeded, size, rnd)
                seeded = size
                with psycopg.connect(url, autocommit=True) as connection:
                    connection.execute("VACUUM ANALYZE")
                print(f"seeded technicians {size}: {rows} more event rows in {time.perf_counter() - started:.1f} s")
                sql_s, sql_rows = min(bare_read(url, settings) for _ in range(3))
                seconds, _, exported = run_export(url, settings, Path(out), args.format, args.workers, traced=False)
                # The chunk loop's memory, traced in this process: the same code each worker runs.
                # (A worker's ru_maxrss would include the parent's pages between fork and exec.)
                _, peaks[size], _ = run_export(url, settings, Path(out), args.format, 1, traced=True)
                print(f"  {args.format} export of {size} technicians ({exported} approved), {args.workers} workers: "
                      f"{seconds:.2f} s; bare SQL read of the {sql_rows} rows {sql_s:.2f} s; "
                      f"ratio {seconds / sql_s:.1f}")
                print(f"  peak traced memory of the export in one process: {peaks[size]:.1f} MB")
        print(f"peak traced memory: {peaks[args.small]:.1f} MB at {args.small} technicians, "
              f"{peaks[args.technicians]:.1f} MB at {args.technicians}")
        print(
            f"RESULT technicians={args.technicians} seconds={seconds:.2f} peak_mb={peaks[args.technicians]:.1f} "
            f"sql_seconds={sql_s:.2f} ratio={seconds / sql_s:.1f}"
        )
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
