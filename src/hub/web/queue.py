"""The approvals queue: the weeks waiting for me (submitted, approved by the level before
mine, or sent back), with hours, overtime and open exceptions per row, and bulk approval
of the clean ones; a week with exceptions is reviewed and approved on its own page, after
a confirm step."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from markupsafe import Markup

from hub.services import approvals
from hub.services.problems import Invalid
from hub.web.auth import now, payroll, requires, settings, today, viewer
from hub.web.db import get_session, wall_cache
from hub.web.views import parse_day

bp = Blueprint("queue", __name__, url_prefix="/approvals")
LOOKBACK_DAYS = 56  # weeks acted on within eight weeks


@bp.route("/")
@requires("supervisor", "payroll", "admin")
def index():
    since, who = today() - timedelta(days=LOOKBACK_DAYS), viewer()
    # shared for a few seconds by the users of the same role and depots (the wall cache;
    # this process's own approvals clear it at once)
    key = (who.role, who.depots, since)
    rows = wall_cache().get(("queue", *key), lambda: approvals.queue(get_session(), who, payroll(), since, now()))
    table = wall_cache().get(("queue-table", *key), lambda: Markup(render_template("approvals/_table.html", rows=rows)))
    return render_template("approvals/queue.html", table=table, clean=any(r.clean for r in rows),
                           levels=approvals.levels(payroll()),
                           unsubmitted=payroll().approve_unsubmitted, zone=settings().timezone)


def _chosen() -> list[tuple[str, date]]:
    """The (technician, week) pairs ticked, each sent as `T-100/2026-03-02`."""
    chosen = []
    for value in request.form.getlist("week")[:500]:
        technician_id, _, day = value.partition("/")
        try:
            chosen.append((technician_id, approvals.week_start(parse_day(day, "week"), payroll())))
        except Invalid:
            flash(f"Skipped {value[:80]!r}: not a technician's week.")
    return chosen


@bp.route("/bulk", methods=["POST"])
@requires("supervisor", "payroll", "admin")
def bulk():
    approved, refused = approvals.approve_many(get_session(), viewer(), payroll(), _chosen(), now())
    get_session().commit()
    if approved:
        flash(f"Approved {len(approved)} week{'' if len(approved) == 1 else 's'}: "
              + ", ".join(f"{t.name} ({w:%b %d})" for t, w in approved) + ".")
    for technician_id, week, why in refused:
        flash(f"Not approved: {technician_id}, week of {week:%b %d}: {why}")
    if not approved and not refused:
        flash("Tick the weeks to approve.")
    return redirect(url_for("queue.index"))
