"""Vans for supervisors and admins: the list of their depots' vans and a van's day, its
drive legs on a map and in a table, whoever drove them."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template

from hub.services import day_map
from hub.services.records_view import local_bounds
from hub.web.auth import requires, today, viewer
from hub.web.db import get_session
from hub.web.views import parse_day

bp = Blueprint("vehicles", __name__, url_prefix="/vehicles")
SUPERVISING = ("supervisor", "payroll", "admin")


@bp.route("/")
@requires(*SUPERVISING)
def index():
    vans = get_session().scalars(viewer().vehicles()).all()
    return render_template("vehicles/index.html", vans=vans, today=today().isoformat())


@bp.route("/<vehicle_id>/day/<day>")
@requires(*SUPERVISING)
def day(vehicle_id: str, day: str):
    session = get_session()
    van = viewer().vehicle(session, vehicle_id)
    shown = parse_day(day)
    zone = viewer().depot(session, van.depot_id).timezone
    lo, hi = local_bounds(shown, shown, zone)
    return render_template("vehicles/day.html", van=van, day=shown, zone=zone,
                           map=day_map.vehicle_day(session, van, zone, lo, hi),
                           prev=shown - timedelta(days=1), next=shown + timedelta(days=1))
