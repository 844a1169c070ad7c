"""Drive legs with no driver: the list of a supervisor's vans' legs nobody is known to
have driven, and the form that names the driver (a correction, always with a reason)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from hub.services import leg_drivers
from hub.services.problems import Invalid
from hub.web.auth import now, payroll, requires, today, viewer
from hub.web.board import my_depots
from hub.web.db import get_session
from hub.web.views import category_choices

bp = Blueprint("legs", __name__)


def _page(errors: dict[int, dict[str, str]] | None = None, status: int = 200):
    session = get_session()
    zones = {d.timezone for d in my_depots()}
    zone = zones.pop() if len(zones) == 1 else current_app.config["HUB_SETTINGS"].timezone
    return render_template(
        "legs/driverless.html", legs=leg_drivers.driverless_legs(session, viewer(), now()),
        named=leg_drivers.named_drivers(session, viewer(), now()),
        technicians=leg_drivers.choices(session, viewer()), categories=category_choices(today()), zone=zone,
        days=leg_drivers.LISTED_DAYS, errors=errors or {}, failed=next(iter(errors or {}), None),
    ), status


@bp.route("/legs/driverless")
@requires(*leg_drivers.NAMING)
def driverless():
    return _page()


@bp.route("/legs/<int:leg_id>/driver", methods=["POST"])
@requires(*leg_drivers.NAMING)
def name_driver(leg_id: int):
    form = request.form
    try:
        leg_drivers.name_driver(get_session(), viewer(), payroll(), leg_id, form.get("technician_id", ""),
                                form.get("work_order_number") or form.get("work_order"), form.get("reason", ""),
                                now())
    except Invalid as error:
        get_session().rollback()
        flash(f"Not saved: {error.message}")
        return _page({leg_id: {error.field: error.message}}, 422)
    get_session().commit()
    flash(f"Driver of leg {leg_id} recorded: it counts in their timesheet once the hub has attributed it again "
          "(within seconds).")
    return redirect(url_for("legs.driverless"))
