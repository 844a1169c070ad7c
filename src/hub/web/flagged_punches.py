"""The flagged punches page: punches of my depots' technicians that payroll should look at
(a PIN, outside every geofence, no position, sent late, ...), filtered by depot, flag and
days; a punch waiting for approval is approved or rejected here, with a reason."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for

from hub.rules.punch_flags import WORDS
from hub.services import punch_reviews
from hub.services.problems import Invalid
from hub.web.auth import now, payroll, requires, today, viewer
from hub.web.db import get_session
from hub.web.views import parse_day

bp = Blueprint("punches", __name__, url_prefix="/punches")
SUPERVISING = ("supervisor", "payroll", "admin")
DEFAULT_DAYS = 14
SOURCES = {"kiosk": "kiosk", "phone": "phone", "supervisor": "supervisor's page"}


def _filters() -> punch_reviews.Filters:
    """What the address asks for; Invalid names the parameter at fault."""
    args = request.args
    end = parse_day(args.get("end"), "end", "To") if args.get("end") else today()
    start = parse_day(args.get("start"), "start", "From") if args.get("start") else end - timedelta(days=DEFAULT_DAYS - 1)
    return punch_reviews.check_filters(get_session(), viewer(), start, end, args.get("depot"), args.get("flag"))


def _page(errors: dict, status: int = 200):
    session = get_session()
    try:
        filters = _filters()
        rows = punch_reviews.flagged_punches(session, viewer(), filters)
    except Invalid as error:
        filters, rows = None, []
        errors = {**errors, error.field: error.message}
        status = 422
    return render_template(
        "punches/flagged.html", rows=rows, filters=filters, args=request.args, errors=errors,
        depots=list(session.scalars(viewer().depot_query())), flags=WORDS, sources=SOURCES,
        limit=punch_reviews.LIMIT,
    ), status


@bp.route("/flagged")
@requires(*SUPERVISING)
def flagged():
    return _page({})


@bp.route("/<punch_id>/decision", methods=["POST"])
@requires(*SUPERVISING)
def decide(punch_id: str):
    """Approve or reject a punch waiting for approval (the button says which)."""
    decision = request.form.get("decision", "")
    try:
        row = punch_reviews.decide(get_session(), viewer(), payroll(), punch_id, decision,
                                   request.form.get("reason"), now())
        get_session().commit()
    except Invalid as error:
        get_session().rollback()
        flash(f"Not saved: {error.message}")
        return _page({f"{punch_id[:64]}-{error.field}": error.message}, 422)
    flash(f"Punch {'approved' if decision == 'approve' else 'rejected'} (correction c{row.id}).")
    def kept(name: str) -> str | None:  # the filters the page had (None: left out of the address)
        return request.args.get(name, "")[:64] or None
    return redirect(url_for("punches.flagged", start=kept("start"), end=kept("end"), depot=kept("depot"),
                            flag=kept("flag")))
