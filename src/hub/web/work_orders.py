"""Work orders as supervisors see them: the list, and one work order's drive and on-site
time per technician."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template, request

from hub.services.job_time import time_on
from hub.store.models import WorkOrder
from hub.web.auth import now, payroll, requires, today, viewer
from hub.web.db import get_session
from hub.web.views import parse_day

bp = Blueprint("work_orders", __name__, url_prefix="/work-orders")


@bp.route("/")
@requires("supervisor", "payroll", "admin")
def index():
    rows = list(get_session().scalars(viewer().work_orders().order_by(WorkOrder.id)))
    return render_template("work_orders/index.html", work_orders=rows)


@bp.route("/<work_order_id>")
@requires("supervisor", "payroll", "admin")
def show(work_order_id: str):
    work_order = viewer().work_order(get_session(), work_order_id)
    end = parse_day(request.args["end"], "end") if request.args.get("end") else today()
    start = parse_day(request.args["start"], "start") if request.args.get("start") else end - timedelta(days=30)
    rows = time_on(get_session(), payroll(), work_order.id, start, end, now(),
                   viewer().technician_ids(get_session()))
    return render_template("work_orders/show.html", work_order=work_order, rows=rows, start=start, end=end,
                           total_drive=sum(r.drive for r in rows), total_site=sum(r.on_site for r in rows),
                           total_entered=sum(r.entered for r in rows))
