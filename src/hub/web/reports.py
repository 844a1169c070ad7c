"""The report pages for supervisors, payroll and admins, each over the technicians of the
user's depots: a chart drawn on the server and a table, and the same rows as CSV."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from flask import Blueprint, Response, render_template, request
from markupsafe import Markup

from hub.export.reports.mileage import MileageRow
from hub.export.reports.neutrality import NeutralityRow
from hub.export.reports.overtime import OvertimeRow
from hub.export.reports.table import write_csv
from hub.export.reports.utilisation import UtilisationRow
from hub.export.reports.work_orders import CustomerRow, WorkOrderRow
from hub.rules.pay_period import pay_period
from hub.services import reporting
from hub.services.problems import Invalid
from hub.web.auth import now, payroll, requires, settings, today, viewer
from hub.web.charts import Series, bar_chart, line_chart
from hub.web.db import get_session
from hub.web.views import parse_day

bp = Blueprint("reports", __name__, url_prefix="/reports")
READERS = ("supervisor", "payroll", "admin")
DEFAULT_WEEKS, DEFAULT_TARGET = 8, Decimal("75")
TABS = [("reports.utilisation_page", "Utilisation"), ("reports.work_orders_page", "Work-order time and cost"),
        ("reports.overtime_page", "Overtime and exceptions"), ("reports.neutrality_page", "Rounding neutrality"),
        ("reports.mileage_page", "Mileage")]
UNITS = {"mile": "miles", "km": "kilometres"}


# -- what the address asks for; Invalid names the parameter at fault
def _weeks() -> tuple[date, int]:
    day = parse_day(request.args.get("day") or today().isoformat(), "day")
    text = request.args.get("weeks") or str(DEFAULT_WEEKS)
    if not text.isdigit() or not 1 <= int(text) <= 26:
        raise Invalid("weeks", "give a number of weeks from 1 to 26")
    return day, int(text)


def _target() -> Decimal:
    try:
        percent = Decimal(request.args.get("target") or DEFAULT_TARGET)
    except InvalidOperation:
        percent = Decimal(-1)
    if not 0 <= percent <= 100:
        raise Invalid("target", "give a target from 0 to 100 (per cent)")
    return percent / 100


def _days() -> tuple[date, date]:
    current = pay_period(today(), payroll().policy("none").pay_period)
    start = parse_day(request.args.get("start") or current[0].isoformat(), "start")
    end = parse_day(request.args.get("end") or current[1].isoformat(), "end")
    if end < start:
        raise Invalid("end", "give an end on or after the start")
    if (end - start).days > 366:
        raise Invalid("end", "give at most a year")
    return start, end


def _page(template: str, **values):
    return render_template(template, tabs=TABS, args=request.args, errors={}, **values)


def _invalid(template: str, error: Invalid, **values):
    return render_template(template, tabs=TABS, args=request.args, errors={error.field: error.message},
                           rows=[], chart="", **values), 422


def _csv(rows, row_type: type, name: str) -> Response:
    out = io.StringIO()
    write_csv(rows, out, row_type)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


# -- utilisation
def _utilisation():
    day, weeks = _weeks()
    target = _target()
    return reporting.utilisation_rows(get_session(), payroll(), viewer(), day, weeks, target, now()), \
        reporting.first_days(payroll(), day, weeks), target


@bp.route("/utilisation")
@requires(*READERS)
def utilisation_page():
    try:
        rows, (first, last), target = _utilisation()
    except Invalid as error:
        return _invalid("reports/utilisation.html", error)
    weeks = _week_list(first, last)
    people: dict[tuple[str, str, str], dict[date, UtilisationRow]] = {}
    for row in rows:  # a line per technician and team, a column per week
        people.setdefault((row.team, row.technician_id, row.name), {})[row.week_start] = row
    teams = sorted({r.team for r in rows if not r.technician_id})
    series = [Series(team, [_share(people[(team, "", "")].get(w)) for w in weeks]) for team in teams]
    chart = line_chart("Utilisation per team and week", [f"{w:%d %b}" for w in weeks], series,
                       target=target, percent=True)
    return _page("reports/utilisation.html", rows=rows, weeks=weeks, target=target, chart=Markup(chart),
                 lines=sorted(people.items(), key=lambda item: (item[0][0], item[0][1] == "", item[0][2])))


@bp.route("/utilisation.csv")
@requires(*READERS)
def utilisation_csv():
    rows, (first, last), _ = _utilisation()
    return _csv(rows, UtilisationRow, f"utilisation-{first}_{last}")


def _share(row: UtilisationRow | None) -> Decimal | None:
    return row.utilisation if row else None


def _week_list(first: date, last: date) -> list[date]:
    return [first + timedelta(days=7 * i) for i in range((last - first).days // 7 + 1)]


# -- work-order time and cost
@bp.route("/work-orders")
@requires(*READERS)
def work_orders_page():
    try:
        start, end = _days()
    except Invalid as error:
        return _invalid("reports/work_orders.html", error)
    rows, customers = reporting.work_order_rows(get_session(), payroll(), viewer(), start, end, now())
    chart = bar_chart("Cost and billable value per customer", [c.customer or "(none)" for c in customers],
                      [Series("cost", [c.cost for c in customers]),
                       Series("billable value", [c.billable_value for c in customers])], unit="")
    return _page("reports/work_orders.html", rows=rows, customers=customers, start=start, end=end,
                 chart=Markup(chart))


@bp.route("/work-orders.csv")
@requires(*READERS)
def work_orders_csv():
    start, end = _days()
    rows, customers = reporting.work_order_rows(get_session(), payroll(), viewer(), start, end, now())
    if request.args.get("by") == "customer":
        return _csv(customers, CustomerRow, f"customers-{start}_{end}")
    return _csv(rows, WorkOrderRow, f"work-orders-{start}_{end}")


# -- overtime and exceptions
def _overtime():
    day, weeks = _weeks()
    first, last = reporting.first_days(payroll(), day, weeks)
    return reporting.overtime_rows(get_session(), payroll(), viewer(), day, weeks, now()), first, last


@bp.route("/overtime")
@requires(*READERS)
def overtime_page():
    try:
        rows, first, last = _overtime()
    except Invalid as error:
        return _invalid("reports/overtime.html", error)
    labels = [f"{r.week_start:%d %b} {r.depot}" for r in rows]
    chart = bar_chart("Hours per week and depot", labels, [
        Series("regular", [r.regular_hours for r in rows]), Series("overtime", [r.overtime_hours for r in rows]),
        Series("double time", [r.double_time_hours for r in rows])], stacked=True, unit=" h")
    return _page("reports/overtime.html", rows=rows, first=first, last=last, chart=Markup(chart))


@bp.route("/overtime.csv")
@requires(*READERS)
def overtime_csv():
    rows, first, last = _overtime()
    return _csv(rows, OvertimeRow, f"overtime-{first}_{last}")


# -- rounding neutrality
@bp.route("/neutrality")
@requires(*READERS)
def neutrality_page():
    try:
        start, end = _days()
    except Invalid as error:
        return _invalid("reports/neutrality.html", error)
    rows = reporting.neutrality_rows(get_session(), payroll(), viewer(), start, end, now())
    people = [r for r in rows if r.technician_id]
    chart = bar_chart("Net paid minutes rounding gave each technician (below zero: the employer's favour)",
                      [r.technician_id for r in people], [Series("net paid minutes", [r.net_minutes for r in people])],
                      unit=" min")
    return _page("reports/neutrality.html", rows=rows, start=start, end=end, chart=Markup(chart))


@bp.route("/neutrality.csv")
@requires(*READERS)
def neutrality_csv():
    start, end = _days()
    rows = reporting.neutrality_rows(get_session(), payroll(), viewer(), start, end, now())
    return _csv(rows, NeutralityRow, f"neutrality-{start}_{end}")


# -- mileage
def _mileage():
    start, end = _days()
    unit = request.args.get("unit") or settings().export.mileage.unit
    if unit not in UNITS:
        raise Invalid("unit", "give mile or km")
    return reporting.mileage_report(get_session(), payroll(), viewer(), start, end, unit, now()), start, end, unit


@bp.route("/mileage")
@requires(*READERS)
def mileage_page():
    try:
        rows, start, end, unit = _mileage()
    except Invalid as error:
        return _invalid("reports/mileage.html", error, unit=request.args.get("unit"), units=UNITS)
    people = [r for r in rows if r.group == "technician"]
    chart = bar_chart(f"Distance per technician ({UNITS[unit]})", [r.name for r in people], [
        Series("on work orders", [r.on_work_orders for r in people]),
        Series("other business", [r.other_business for r in people]),
        Series("commute", [r.commute for r in people])], stacked=True, unit="")
    return _page("reports/mileage.html", rows=rows, start=start, end=end, unit=unit, units=UNITS,
                 chart=Markup(chart))


@bp.route("/mileage.csv")
@requires(*READERS)
def mileage_csv():
    rows, start, end, _ = _mileage()
    return _csv(rows, MileageRow, f"mileage-{start}_{end}")
