"""The team timesheet: a depot's technicians by day for a workweek, with totals, as a
page (which prints on one landscape sheet) and as CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from hub.rules.sheets import hours
from hub.services import approvals
from hub.services.team_week import TeamWeek, team_week
from hub.web.auth import now, payroll, requires, viewer
from hub.web.board import asked_depot, my_depots
from hub.web.db import get_session, wall_cache
from hub.web.printed import pdf_download, safe_filename
from hub.web.views import parse_day

bp = Blueprint("team", __name__)
CSV_COLUMNS = ("technician_id", "name", "date", "worked_h", "overtime_h", "drive_h", "on_site_h", "exceptions")


def _week() -> TeamWeek:
    """The depot's week, shared for a few seconds by everyone who may see the depot (the
    wall cache: a whole team's timesheets are the costly part, then its table)."""
    depot = asked_depot()
    today = now().astimezone(ZoneInfo(depot.timezone)).date()
    day = parse_day(request.args["week"], "week") if request.args.get("week") else today
    start = approvals.week_start(day, payroll())
    return wall_cache().get(("team", depot.id, start),
                            lambda: team_week(get_session(), viewer(), payroll(), depot, start, now()))


@bp.route("/team/")
@requires("supervisor", "payroll", "admin")
def index():
    found = _week()
    table = wall_cache().get(("team-table", found.depot_id, found.start), lambda: Markup(
        render_template("team/_table.html", team=found, zone=found.zone)))
    return render_template("team/week.html", team=found, table=table, depots=my_depots(), zone=found.zone,
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
            writer.writerow((row.technician_id, row.name, day, _h(f.worked), _h(f.overtime), _h(f.drive),
                             _h(f.on_site), f.exceptions))
    name = safe_filename("team", found.depot_id, found.start.isoformat(), suffix=".csv")
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/team.pdf")
@requires("supervisor", "payroll", "admin")
def printed():
    """The team timesheet printed for sign-off: the table, each technician's approval trail
    and signature, the supervisor's and payroll's signatures."""
    found = _week()
    trails = {r.technician_id: (approvals.week_state(get_session(), payroll(), r.technician_id, found.start),
                                approvals.history(get_session(), r.technician_id, found.start)) for r in found.rows}
    name = safe_filename("team-timesheet", found.depot_id, found.start.isoformat())
    return pdf_download("printed/team.html", name, team=found, trails=trails, zone=found.zone, printed_at=now())
