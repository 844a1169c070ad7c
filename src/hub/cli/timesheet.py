"""`depotclock timesheet compute`: replay events through the pay rules."""

from __future__ import annotations

import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from depotclock.command import Group
from hub.rules.event_lines import parse_lines
from hub.rules.pay_period import anchor_mismatch, default_anchor
from hub.rules.policy import (
    PRESETS,
    PayPeriodKind,
    PayPeriodPolicy,
    PolicyError,
    RoundingPolicy,
    TimesheetPolicy,
    overtime_policy_from_toml,
    overtime_preset,
)
from hub.rules.timesheet import TechnicianProfile, compute_timesheets
from hub.rules.workweek import WEEKDAYS
from hub.services.timesheet_document import TimesheetDoc, timesheet_document


def _policy(name_or_file: str):
    path = Path(name_or_file)
    if name_or_file not in PRESETS and path.suffix == ".toml":
        if not path.exists():
            raise click.BadParameter(f"{path} does not exist", param_hint="--policy")
        return overtime_policy_from_toml(path.read_text(), str(path))
    return overtime_preset(name_or_file)


def _table(sheet: TimesheetDoc) -> str:
    def n(text: str) -> Decimal:
        return Decimal(text)

    lines = [f"Technician {sheet['technician_id']}  worked {n(sheet['worked_hours']):.2f} h  "
             f"billable {n(sheet['billable_hours']):.2f} h  utilisation {n(sheet['utilisation']):.0%}  "
             f"cost {sheet['cost']}"]
    lines.append(f"  {'date':<10} {'in':>5} {'out':>5} {'worked':>7} {'breaks':>7} {'meals':>6} "
                 f"{'drive':>6} {'site':>6} {'gaps':>6} {'reg':>6} {'OT':>5} {'DT':>5}")
    for d in sheet["days"]:
        lines.append(
            f"  {d['date']:<10} {d['first_in'][11:16]:>5} {d['last_out'][11:16]:>5} "
            f"{n(d['worked_hours']):>7.2f} {n(d['paid_break_hours']):>7.2f} {n(d['unpaid_meal_hours']):>6.2f} "
            f"{sum(map(n, d['drive_hours'].values())):>6.2f} {sum(map(n, d['on_site_hours'].values())):>6.2f} "
            f"{n(d['gap_hours']):>6.2f} {n(d['regular_hours']):>6.2f} {n(d['overtime_hours']):>5.2f} "
            f"{n(d['double_time_hours']):>5.2f}"
        )
    for w in sheet["weeks"]:
        lines.append(f"  week of {w['start']}: regular {n(w['regular_hours']):.2f}  overtime "
                     f"{n(w['overtime_hours']):.2f}  double {n(w['double_time_hours']):.2f}  cost {w['cost']}")
    for e in sheet["exceptions"]:
        lines.append(f"  ! {e['at'][:16]} {e['code']}: {e['message']}")
    return "\n".join(lines)


@click.group(cls=Group)
def timesheet() -> None:
    """Replay events through the pay rules, as payroll staff check a period."""


@timesheet.command()
@click.option("--events", "events_file", type=click.File("r"), required=True,
              help="Events, one JSON object a line (docs/events.md); - for stdin.")
@click.option("--policy", "policy_name", default="flsa", show_default=True,
              help=f"Overtime preset ({', '.join(PRESETS)}) or a TOML file of a custom policy.")
@click.option("--tz", "zone", default="UTC", show_default=True, help="Payroll time zone (IANA).")
@click.option("--week-start", type=click.Choice(WEEKDAYS), default="monday", show_default=True,
              help="First day of the workweek, from 00:00 in the payroll zone.")
@click.option("--rounding", type=click.Choice(["0", "5", "6", "15"]), default="0",
              show_default=True, help="Round punches to the nearest N minutes (0: none).")
@click.option("--pay-period", type=click.Choice([k.value for k in PayPeriodKind]), default="biweekly",
              show_default=True, help="Pay period length; a workweek's overtime goes to the period it ends in.")
@click.option("--period-anchor", type=click.DateTime(["%Y-%m-%d"]),
              help="First day of some weekly or bi-weekly period, a workweek's first day "
              "(default: the first day of the workweek holding 2026-01-05).")
@click.option("--wage", type=str, default="0", help="Hourly wage for the cost figures.")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day to show.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def compute(events_file, policy_name, zone, week_start, rounding, pay_period, period_anchor, wage, start, end,
            as_json) -> None:
    """Print the timesheets the events make. Bad lines are reported on stderr with their
    line number and skipped; the exit status is then 1."""

    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"{zone!r} is not an IANA time zone", param_hint="--tz") from None
    try:
        overtime = _policy(policy_name)
        hourly = Decimal(wage)
    except PolicyError as exc:
        raise click.BadParameter(str(exc), param_hint="--policy") from None
    except InvalidOperation:
        raise click.BadParameter(f"{wage!r} is not a number", param_hint="--wage") from None
    week_start_day, kind = WEEKDAYS.index(week_start), PayPeriodKind(pay_period)
    anchor = period_anchor.date() if period_anchor else default_anchor(week_start_day)
    mismatch = anchor_mismatch(kind, anchor, week_start_day)
    if mismatch:
        raise click.BadParameter(f"--period-anchor and --week-start disagree: {mismatch}",
                                 param_hint="--period-anchor")
    policy = TimesheetPolicy(overtime=overtime, rounding=RoundingPolicy(int(rounding)),
                             pay_period=PayPeriodPolicy(kind, anchor), week_start_day=week_start_day)
    events, errors = parse_lines(events_file)
    for number, reason in errors:
        click.echo(f"{events_file.name}:{number}: {reason}", err=True)
    sheets = compute_timesheets(events, default=TechnicianProfile("", hourly, tz, policy))
    first, last = (start.date() if start else None), (end.date() if end else None)
    shown = [timesheet_document(sheet, first, last) for sheet in sheets]
    if as_json:
        click.echo(json.dumps({"technicians": shown}, indent=2))
    else:
        click.echo("\n\n".join(_table(sheet) for sheet in shown) or "no events")
    if errors:
        sys.exit(1)
