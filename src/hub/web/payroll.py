"""Payroll's page: the approval levels in force, weeks waiting for payroll, and locking
and unlocking pay periods (with a reason)."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for

from hub.rules.pay_period import pay_period
from hub.services import approvals
from hub.services.problems import Invalid
from hub.web.auth import now, payroll, requires, today, viewer
from hub.web.db import get_session
from hub.web.views import parse_day

bp = Blueprint("payroll", __name__, url_prefix="/payroll")


def _weeks_waiting():
    ids = viewer().technician_ids(get_session())
    return approvals.weeks_in_approval(get_session(), payroll(), ids, today() - timedelta(days=42))


@bp.route("/")
@requires("payroll", "admin")
def index(errors: dict | None = None):
    current = pay_period(today(), payroll().policy("flsa").pay_period)
    return render_template("payroll.html", levels=approvals.levels(payroll()), locks=approvals.locks(get_session()),
                           weeks=_weeks_waiting(), current=current, errors=errors or {},
                           previous=pay_period(current[0] - timedelta(days=1), payroll().policy("flsa").pay_period)), \
        422 if errors else 200


@bp.route("/lock", methods=["POST"])
@requires("payroll", "admin")
def lock():
    try:
        start = parse_day(request.form.get("period_start"), "period_start", "From")
        end = parse_day(request.form.get("period_end"), "period_end", "To")
        approvals.lock_period(get_session(), viewer(), start, end, now())
        get_session().commit()
        flash(f"Pay period {start:%b %d}–{end:%b %d} locked.")
    except Invalid as error:
        return index(errors={error.field: error.message})
    return redirect(url_for("payroll.index"))


@bp.route("/unlock/<int:lock_id>", methods=["POST"])
@requires("payroll", "admin")
def unlock(lock_id: int):
    try:
        approvals.unlock_period(get_session(), viewer(), lock_id, request.form.get("reason"), now())
        get_session().commit()
        flash("Pay period unlocked.")
    except Invalid as error:
        return index(errors={f"unlock-{lock_id}": error.message})
    return redirect(url_for("payroll.index"))
