"""One run of the notices job (`hub notify`, each minute) for a depot of 200 technicians,
each with an email address and every notice on, with a day of activity: the first run
(everything due is queued, rendered) and the steady run a minute later (nothing new).
Baseline: the timesheets of the same technicians over the same days, which the run's
missing-punch check computes (the floor of reading the week).

Run: .venv/bin/python bench/notices.py [--technicians 200]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bench.web import seed
from hub.services import notices
from hub.services.passwords import DUMMY_HASH
from hub.services.records import timesheets
from hub.settings import HubSettings
from hub.store.engine import make_engine, session_factory
from hub.store.migrate import upgrade
from hub.store.models import Technician, TimesheetApproval, User


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--technicians", type=int, default=200)
    args = parser.parse_args()
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'hub.db'}"
        upgrade(url)
        zone = seed(url, args.technicians, now)
        settings = HubSettings(database_url=url, mqtt_url="mqtt://hub:x@127.0.0.1:1883", timezone=zone)
        engine = make_engine(url)
        with session_factory(engine).begin() as s:
            s.add_all(User(username=f"u-{t}", password_hash=DUMMY_HASH, role="technician", technician_id=t,
                           email=f"{t.lower()}@example.com", active=True, created_at=now)
                      for t in s.scalars(select(Technician.id)))
            sam = s.scalars(select(User).where(User.username == "sam")).one()
            sam.email = "sam@example.com"
            # every technician's week sent back: as many messages to render and queue on the first run
            s.add_all(TimesheetApproval(technician_id=a.technician_id, week_start=a.week_start, level="supervisor",
                                        decision="rejected", decided_by=sam.id, decided_at=now, reason="check Monday")
                      for a in s.scalars(select(TimesheetApproval)).all())
        with session_factory(engine)() as s:
            today = now.astimezone(ZoneInfo(zone)).date()
            started = time.perf_counter()
            list(timesheets(s, settings.payroll, today - timedelta(days=settings.notices.lookback_days), today,
                            as_of=now))
            baseline = time.perf_counter() - started
            started = time.perf_counter()
            first = notices.run(s, settings, None, now)
            first_s = time.perf_counter() - started
            started = time.perf_counter()
            steady = notices.run(s, settings, None, now + timedelta(minutes=1))
            steady_s = time.perf_counter() - started
        engine.dispose()
    print(f"depot of {args.technicians} technicians with email, every notice on, a day of activity (SQLite)")
    print(f"  timesheets of the last {settings.notices.lookback_days} days  {baseline:6.2f} s")
    print(f"  first run                     {first_s:6.2f} s  ({first.queued} notices queued)")
    print(f"  steady run a minute later     {steady_s:6.2f} s  ({steady.queued} queued); ratio to the timesheets "
          f"{steady_s / baseline:.2f}")
    print(f"RESULT first_s={first_s:.2f} steady_s={steady_s:.2f} ratio={steady_s / baseline:.2f}")


if __name__ == "__main__":
    main()
