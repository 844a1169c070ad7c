"""Badges: enrol a badge a kiosk read but nobody holds, from the read itself, and retire
badges. Supervisors for the technicians and kiosks of their depots, admins for all."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from hub.services import badges
from hub.services.problems import Invalid
from hub.store.models import Technician
from hub.web.auth import now, requires, viewer
from hub.web.db import get_session

bp = Blueprint("badges", __name__)


@bp.route("/badges", methods=["GET", "POST"])
@requires(*badges.ENROLS)
def index():
    errors = {}
    if request.method == "POST":
        try:
            if request.form.get("retire"):
                retire = request.form["retire"]
                badges.retire_badge(get_session(), viewer(), int(retire) if retire.isdigit() else -1, now())
                flash("Badge retired.")
            else:
                badge = badges.enroll_badge(get_session(), viewer(), request.form.get("badge_id", ""),
                                            request.form.get("technician_id", ""), now())
                flash(f"Badge {badge.badge_id} enrolled for {badge.technician_id}.")
            get_session().commit()
            return redirect(url_for("badges.index"))
        except Invalid as error:
            get_session().rollback()
            errors = {(request.form.get("badge_id") or "", error.field): error.message}
    technicians = [(t.id, f"{t.id} {t.name}") for t in
                   get_session().scalars(viewer().technicians().order_by(Technician.name))]
    return render_template("badges/index.html", enrolled=badges.enrolled(get_session(), viewer()),
                           unknown=badges.unknown_badges(get_session(), viewer()), technicians=technicians,
                           errors=errors), 422 if errors else 200
