"""Supervisor and payroll pages of a technician's record: day and week timesheets with
the engine's totals, exceptions, corrected figures marked and the audit trail; the
exceptions inbox; corrections (always with a reason); approving, rejecting, voiding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale

from hub.rules.findings import Code, TimesheetException
from hub.services import approvals, day_map
from hub.services.correcting import CorrectionInput, record_correction
from hub.services.hours_entries import HoursEntryInput, add_entry, entry_lines, void_entry
from hub.services.problems import Invalid
from hub.services.records import timesheets
from hub.services.records_view import audit_trail, day_of, days_between, effective_events, local_bounds, sheet
from hub.store.models import Technician
from hub.web.auth import now, payroll, requires, today, viewer
from hub.web.db import get_session
from hub.web.forms import PUNCH_ACTIONS
from hub.web.printed import pdf_download, safe_filename
from hub.web.views import category_choices, parse_day, parse_local

bp = Blueprint("sheets", __name__)
SUPERVISING = ("supervisor", "payroll", "admin")
INBOX_CODES = (Code.MISSING_CLOCK_OUT, Code.MISSING_CLOCK_IN, Code.BREAK_NOT_ENDED, Code.UNACCOUNTED_GAP,
               Code.DRIVE_WITHOUT_WORK_ORDER, Code.DRIVE_OFF_CLOCK, Code.PUNCH_AWAITS_APPROVAL)
FIX = {  # exception -> the correction that fixes it in place
    Code.MISSING_CLOCK_OUT: ("add_punch", "clock_out"), Code.MISSING_CLOCK_IN: ("add_punch", "clock_in"),
    Code.BREAK_NOT_ENDED: ("add_punch", "break_end"), Code.UNACCOUNTED_GAP: ("add_visit", None),
    Code.DRIVE_WITHOUT_WORK_ORDER: ("attach_leg", None), Code.DRIVE_OFF_CLOCK: ("add_punch", "clock_in"),
}


def _technician(technician_id: str) -> Technician:
    return viewer().technician(get_session(), technician_id)


@bp.route("/technicians")
@requires(*SUPERVISING)
def technicians():
    found = list(get_session().scalars(viewer().technicians().order_by(Technician.name)))
    return render_template("sheets/technicians.html", technicians=found,
                           today=today().isoformat())


def _render_day(technician: Technician, day: date, errors: dict | None = None, form_id: str | None = None):
    zone = technician.payroll_timezone
    found = sheet(get_session(), payroll(), technician, day, day, now())
    lo, hi = local_bounds(day, day, zone)
    week = approvals.week_start(day, payroll())
    exceptions = [e for e in found.timesheet.exceptions if e.at.astimezone(ZoneInfo(zone)).date() == day]
    return render_template(
        "sheets/day.html", technician=technician, day=day, sheet=day_of(found, day), marks=found.marks,
        exceptions=exceptions, fix=FIX, events=effective_events(get_session(), technician, lo, hi),
        audit=audit_trail(get_session(), technician, lo, hi), zone=zone, week=week,
        state=approvals.week_state(get_session(), payroll(), technician.id, week),
        errors=errors or {}, form_id=form_id, actions=PUNCH_ACTIONS, categories=category_choices(day),
        prev=day - timedelta(days=1), next=day + timedelta(days=1),
        map=day_map.technician_day(get_session(), technician, lo, hi),
    ), 422 if errors else 200


@bp.route("/technicians/<technician_id>/day/<day>")
@requires(*SUPERVISING)
def day(technician_id: str, day: str):
    return _render_day(_technician(technician_id), parse_day(day))


def week_context(technician: Technician, start: date) -> dict:
    """What a page or a printed timesheet shows of the technician's week from `start`."""
    end = start + timedelta(days=6)
    zone = technician.payroll_timezone
    found = sheet(get_session(), payroll(), technician, start, end, now())
    return dict(
        technician=technician, start=start, end=end, days=days_between(found, start, end),
        totals=next((w for w in found.timesheet.weeks if w.start == start), None), marks=found.marks,
        exceptions=[e for e in found.timesheet.exceptions if start <= e.at.astimezone(ZoneInfo(zone)).date() <= end],
        state=approvals.week_state(get_session(), payroll(), technician.id, start),
        history=approvals.history(get_session(), technician.id, start), zone=zone,
        lines=entry_lines(get_session(), technician.id, start, end),
        prev=start - timedelta(days=7), next=start + timedelta(days=7))


def week_pdf(technician: Technician, start: date) -> Response:
    """The week printed for sign-off: its days, totals, approval trail and signature lines,
    in the technician's language when they chose one (they sign it), else the page's."""
    name = safe_filename("timesheet", technician.id, technician.name, start.isoformat())
    with force_locale(technician.language or str(get_locale())):
        return pdf_download("printed/week.html", name, printed_at=now(), **week_context(technician, start))


@bp.route("/technicians/<technician_id>/week/<day>")
@requires(*SUPERVISING)
def week(technician_id: str, day: str, errors: dict | None = None):
    technician = _technician(technician_id)
    start = approvals.week_start(parse_day(day), payroll())
    lo, hi = local_bounds(start, start + timedelta(days=6), technician.payroll_timezone)
    return render_template(
        "sheets/week.html", **week_context(technician, start), audit=audit_trail(get_session(), technician, lo, hi),
        errors=errors or {}, levels=approvals.levels(payroll()),
        day_url=lambda d: url_for("sheets.day", technician_id=technician.id, day=d.isoformat()),
        void_url=lambda e: url_for("sheets.void_hours", technician_id=technician.id, entry_id=e.id),
        void_errors=(errors or {}).get("void", {}), categories=category_choices(start),
    ), 422 if errors else 200


@bp.route("/technicians/<technician_id>/hours", methods=["POST"])
@requires(*SUPERVISING)
def add_hours(technician_id: str):
    """An hours-only entry for the technician, with a reason, until the week is approved."""
    technician = _technician(technician_id)
    form = request.form
    day = parse_day(form.get("day"))
    try:
        row = add_entry(get_session(), viewer(), payroll(), technician, HoursEntryInput(
            day=day, duration=form.get("duration", ""), reason=form.get("reason", ""),
            work_order=form.get("work_order"), category=form.get("category")), now())
        get_session().commit()
    except Invalid as error:
        get_session().rollback()
        return week(technician.id, day.isoformat(), errors={f"hours_{error.field}": error.message})
    flash(f"Hours-only entry h{row.id} recorded.")
    return redirect(url_for("sheets.week", technician_id=technician.id, day=day.isoformat()))


@bp.route("/technicians/<technician_id>/hours/<int:entry_id>/void", methods=["POST"])
@requires(*SUPERVISING)
def void_hours(technician_id: str, entry_id: int):
    technician = _technician(technician_id)
    day = parse_day(request.form.get("day"))
    try:
        void_entry(get_session(), viewer(), payroll(), technician, entry_id, request.form.get("reason", ""), now())
        get_session().commit()
    except Invalid as error:
        get_session().rollback()
        return week(technician.id, day.isoformat(), errors={"void": {entry_id: error.message}})
    flash(f"Hours-only entry h{entry_id} voided.")
    return redirect(url_for("sheets.week", technician_id=technician.id, day=day.isoformat()))


@bp.route("/technicians/<technician_id>/week/<day>.pdf")
@requires(*SUPERVISING)
def week_printed(technician_id: str, day: str):
    technician = _technician(technician_id)
    return week_pdf(technician, approvals.week_start(parse_day(day), payroll()))


def _correction_input(technician: Technician) -> CorrectionInput:
    form = request.form
    zone = technician.payroll_timezone
    day = parse_day(form.get("day"))
    at = parse_local(day, form.get("time"), zone, "time") if form.get("time") else None
    end = parse_local(day, form.get("end"), zone, "end", "Until") if form.get("end") else None
    if end is not None and at is not None and end <= at:
        end += timedelta(days=1)  # past midnight
    return CorrectionInput(
        kind=form.get("kind", ""), reason=form.get("reason", ""), replaces=form.get("replaces") or None,
        action=form.get("action") or None, at=at, end=end, break_kind=form.get("break_kind") or None,
        work_order=(form.get("work_order_number") or form.get("work_order") or "").strip() or None,
        near=parse_local(day, "12:00", zone, "day"),
    )


@bp.route("/technicians/<technician_id>/corrections", methods=["POST"])
@requires(*SUPERVISING)
def correct(technician_id: str):
    technician = _technician(technician_id)
    form_id = request.form.get("form_id", "")
    try:
        given = _correction_input(technician)
        row = record_correction(get_session(), viewer(), payroll(), technician, given, now())
        get_session().commit()
        flash(f"Correction c{row.id} recorded.")
    except Invalid as error:
        field = {"at": "time"}.get(error.field, error.field)
        flash(f"Not saved: {error.message}")
        if request.form.get("next") == "inbox":
            return inbox(errors={form_id: {field: error.message}})
        day = parse_day(request.form.get("day")) if request.form.get("day") else today()
        return _render_day(technician, day, {form_id: {field: error.message}}, form_id)
    if request.form.get("next") == "inbox":
        return redirect(url_for("sheets.inbox"))
    return redirect(url_for("sheets.day", technician_id=technician.id, day=request.form.get("day")))


def _decision(technician_id: str, act) -> object:
    technician = _technician(technician_id)
    start = approvals.week_start(parse_day(request.form.get("week")), payroll())
    try:
        act(technician, start)
        get_session().commit()
    except Invalid as error:
        return week(technician.id, start.isoformat(), errors={error.field: error.message})
    return redirect(url_for("sheets.week", technician_id=technician.id, day=start.isoformat()))


@bp.route("/technicians/<technician_id>/approve", methods=["POST"])
@requires(*SUPERVISING)
def approve(technician_id: str):
    """Approve a week; one with open exceptions asks first (a page listing them, whose
    button sends confirm=yes). `next=queue` returns to the approvals queue."""
    technician = _technician(technician_id)
    start = approvals.week_start(parse_day(request.form.get("week"), "week"), payroll())
    back = request.form.get("next") == "queue"
    try:
        approvals.approve(get_session(), viewer(), payroll(), technician, start, now(),
                          confirmed=request.form.get("confirm") == "yes")
        get_session().commit()
        flash(f"Week of {start:%b %d} approved for {technician.name}.")
    except approvals.Unconfirmed as asked:
        return render_template("sheets/confirm.html", technician=technician, start=start, asked=asked,
                               zone=technician.payroll_timezone, back=back)
    except Invalid as error:
        if back:
            flash(f"Not approved: {error.message}")
            return redirect(url_for("queue.index"))
        return week(technician.id, start.isoformat(), errors={error.field: error.message})
    if back:
        return redirect(url_for("queue.index"))
    return redirect(url_for("sheets.week", technician_id=technician.id, day=start.isoformat()))


@bp.route("/technicians/<technician_id>/reject", methods=["POST"])
@requires(*SUPERVISING)
def reject(technician_id: str):
    def act(technician, start):
        approvals.reject(get_session(), viewer(), payroll(), technician, start, request.form.get("reason"), now())
        flash(f"Week of {start:%b %d} sent back to {technician.name}.")
    return _decision(technician_id, act)


@bp.route("/technicians/<technician_id>/void", methods=["POST"])
@requires("payroll", "admin")
def void(technician_id: str):
    def act(technician, start):
        approvals.void(get_session(), viewer(), payroll(), technician, start, request.form.get("reason"), now())
        flash(f"Approval of the week of {start:%b %d} voided; the week is open again.")
    return _decision(technician_id, act)


@dataclass(frozen=True)
class InboxItem:
    technician: Technician
    exception: TimesheetException
    day: date
    key: str


def inbox_items(days: int) -> tuple[list[InboxItem], date, date]:
    end = today()
    start = end - timedelta(days=days - 1)
    ids = viewer().technician_ids(get_session())
    items = []
    for found in timesheets(get_session(), payroll(), start, end, ids, as_of=now()):
        tz = ZoneInfo(found.technician.payroll_timezone)
        for e in found.timesheet.exceptions:
            local = e.at.astimezone(tz).date()
            if e.code in INBOX_CODES and start <= local <= end:
                key = f"{found.technician.id}-{e.code.value}-{e.at.timestamp():.0f}"
                items.append(InboxItem(found.technician, e, local, key))
    items.sort(key=lambda i: (i.exception.at, i.technician.name), reverse=True)
    return items, start, end


@bp.route("/exceptions")
@requires(*SUPERVISING)
def inbox(errors: dict | None = None):
    days = min(max(request.args.get("days", 7, type=int), 1), 62)
    items, start, end = inbox_items(days)
    return render_template("sheets/inbox.html", items=items, start=start, end=end, fix=FIX,
                           errors=errors or {}, categories=category_choices(end), days=days), 422 if errors else 200
