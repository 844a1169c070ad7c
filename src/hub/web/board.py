"""Supervisor's wall: the live board and the team timeline of a depot."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, Response, render_template, request, url_for
from markupsafe import Markup

from hub.services import live_board, team_day
from hub.services.scope import OutOfScope
from hub.web import timeline
from hub.web.auth import now, payroll, requires, settings, viewer
from hub.web.db import get_session, wall_cache
from hub.web.views import parse_day

bp = Blueprint("board", __name__)


def asked_depot():
    """The depot asked for (?depot=), else the user's first."""
    session = get_session()
    wanted = request.args.get("depot")
    if wanted:
        return viewer().depot(session, wanted)
    depot = session.scalar(viewer().depot_query().limit(1))
    if depot is None:
        raise OutOfScope("no depot to show: ask an admin to give you one")
    return depot


def my_depots():
    return list(get_session().scalars(viewer().depot_query()))


@bp.route("/board")
@requires("supervisor", "payroll", "admin")
def board():
    depot = asked_depot()
    at = now()

    def compute() -> Markup:
        """The board's table, the same for everyone who sees this depot."""
        rows = live_board.board(get_session(), payroll(), depot.id, at)
        today = at.astimezone(ZoneInfo(depot.timezone)).date().isoformat()
        devices = live_board.devices(get_session(), depot.id, settings().monitoring.presence_policy(), at)
        return Markup(render_template(
            "board/_table.html", depot=depot, rows=rows, counts=live_board.counts(rows),
            devices=devices, labels=live_board.LABELS, zone=depot.timezone,
            day_link=url_for("sheets.day", technician_id="TECH", day=today)))

    table = wall_cache().get(("board", depot.id), compute)
    return render_template("board/board.html", depot=depot, depots=my_depots(), table=table, zone=depot.timezone,
                           now=at, refresh=request.args.get("refresh", type=int))


def _timeline_svg():
    depot = asked_depot()
    tz = ZoneInfo(depot.timezone)
    day = parse_day(request.args["day"]) if request.args.get("day") else now().astimezone(tz).date()
    at = now()

    def compute() -> str:
        rows = team_day.team_rows(get_session(), payroll(), depot.id, day, at)
        return timeline.render_svg(rows, day, depot.timezone, at)

    return depot, day, wall_cache().get(("timeline", depot.id, day), compute)


@bp.route("/timeline", endpoint="timeline")
@requires("supervisor", "payroll", "admin")
def timeline_page():
    depot, day, svg = _timeline_svg()
    return render_template("board/timeline.html", depot=depot, depots=my_depots(), day=day, svg=Markup(svg),
                           zone=depot.timezone, legend=timeline.LEGEND, refresh=request.args.get("refresh", type=int))


@bp.route("/timeline.svg")
@requires("supervisor", "payroll", "admin")
def timeline_svg():
    _, _, svg = _timeline_svg()
    return Response(svg, mimetype="image/svg+xml")

