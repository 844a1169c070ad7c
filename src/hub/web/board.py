"""Supervisor's wall: the live board (which keeps itself current) and the team timeline of a depot."""

from __future__ import annotations

import hashlib
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request, url_for
from markupsafe import Markup

from hub.services import live_board, task_categories, team_day
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


def _live_table(depot) -> tuple[Markup, str]:
    """The board's table as of now and its ETag, the same for everyone who sees this depot
    (shared through the wall cache, so polling screens cost one computation)."""
    def compute() -> tuple[Markup, str]:
        at = now()
        rows = live_board.board(get_session(), payroll(), depot.id, at)
        today = at.astimezone(ZoneInfo(depot.timezone)).date().isoformat()
        devices = live_board.devices(get_session(), depot.id, settings().monitoring.presence_policy(), at)
        table = Markup(render_template(
            "board/_table.html", depot=depot, rows=rows, counts=live_board.counts(rows),
            devices=devices, labels=live_board.LABELS, zone=depot.timezone, now=at,
            day_link=url_for("sheets.day", technician_id="TECH", day=today)))
        return table, hashlib.sha256(table.encode()).hexdigest()[:32]

    return wall_cache().get(("board", depot.id), compute)


@bp.route("/board")
@requires("supervisor", "payroll", "admin")
def board():
    """The page polls `board.live` every `web_wall_cache_s` seconds (at least one): the
    table changes no more often than the cache lets it."""
    depot = asked_depot()
    table, etag = _live_table(depot)
    return render_template("board/board.html", depot=depot, depots=my_depots(), table=table, etag=etag,
                           zone=depot.timezone, poll_s=max(current_app.config["WALL_CACHE_SECONDS"], 1))


@bp.route("/board/live")
@requires("supervisor", "payroll", "admin")
def live():
    """The board's table alone, for the page to swap in; 304 while it has not changed
    since the ETag the page sent (If-None-Match)."""
    table, etag = _live_table(asked_depot())
    response = Response(str(table), mimetype="text/html")
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


def _timeline_svg():
    depot = asked_depot()
    tz = ZoneInfo(depot.timezone)
    day = parse_day(request.args["day"]) if request.args.get("day") else now().astimezone(tz).date()
    at = now()

    def compute() -> str:
        rows = team_day.team_rows(get_session(), payroll(), depot.id, day, at)
        return timeline.render_svg(rows, day, depot.timezone, task_categories.categories(get_session()), at)

    return depot, day, wall_cache().get(("timeline", depot.id, day), compute)


@bp.route("/timeline", endpoint="timeline")
@requires("supervisor", "payroll", "admin")
def timeline_page():
    depot, day, svg = _timeline_svg()
    return render_template("board/timeline.html", depot=depot, depots=my_depots(), day=day, svg=Markup(svg),
                           zone=depot.timezone, legend=timeline.LEGEND)


@bp.route("/timeline.svg")
@requires("supervisor", "payroll", "admin")
def timeline_svg():
    _, _, svg = _timeline_svg()
    return Response(svg, mimetype="image/svg+xml")

