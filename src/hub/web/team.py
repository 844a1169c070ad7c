"""The team timesheet: a depot's technicians by day for a workweek, with totals, as a
page (which prints on one landscape sheet) and as CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, render_template, request

from hub.rules.sheets import hours
from hub.services import approvals
from hub.services.team_week import TeamWeek, team_week
from hub.web.auth import now, payroll, requires, viewer
from hub.web.board import asked_depot, my_depots
from hub.web.db import get_session
from hub.web.views import parse_day

bp = Blueprint("team", __name__)
CSV_COLUMNS = ("technician_id", "name", "date", "worked_h", "overtime_h", "drive_h", "on_site_h", "exceptions")


def _week() -> TeamWeek:
    depot = asked_depot()
    today = now().astimezone(ZoneInfo(depot.timezone)).date()
    day = parse_day(request.args["week"], "week") if request.args.get("week") else today
    start = approvals.week_start(day, payroll())
    return team_week(get_session(), viewer(), payroll(), depot, start, now())


@bp.route("/team/")
@requires("supervisor", "payroll", "admin")
def index():
    found = _week()
    return render_template("team/week.html", team=found, depots=my_depots(), zone=found.depot.timezone,
                           prev=found.start - timedelta(days=7), next=found.start + timedelta(days=7))


def _h(us: int) -> str:
    return str(hours(us).quantize(Decimal("0.01")))


@bp.route("/team.csv")
@requires("supervisor", "payroll", "admin")
def as_csv():
    """One line per technician and day, then the technician's week (date `week`)."""
    found = _week()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in found.rows:
        cells = [*zip((d.isoformat() for d in found.days), row.days, strict=True), ("week", row.total)]
        for day, f in cells:
            writer.writerow((row.technician.id, row.technician.name, day, _h(f.worked), _h(f.overtime), _h(f.drive),
                             _h(f.on_site), f.exceptions))
    name = f"team-{found.depot.id}-{found.start.isoformat()}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
