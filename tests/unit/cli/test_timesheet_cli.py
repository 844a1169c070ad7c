"""`depotclock timesheet compute`: a table, JSON, and bad lines reported with their numbers."""

from __future__ import annotations

import json

from click.testing import CliRunner

from depotclock.cli import main

DAY = [
    '{"id": "e1", "tech": "T-100", "type": "clock_in", "at": "2026-03-02T07:00:00-06:00"}',
    '{"id": "e5", "tech": "T-100", "type": "drive", "start": "2026-03-02T07:10:00-06:00", '
    '"end": "2026-03-02T07:40:00-06:00", "km": 12.4, "from": "depot", "to": "site", "work_order": "WO-7"}',
    '{"id": "e6", "tech": "T-100", "type": "wo_check_in", "work_order": "WO-7", "at": "2026-03-02T07:40:00-06:00"}',
    '{"id": "e2", "tech": "T-100", "type": "break_start", "kind": "meal", "at": "2026-03-02T12:00:00-06:00"}',
    '{"id": "e3", "tech": "T-100", "type": "break_end", "at": "2026-03-02T12:30:00-06:00"}',
    '{"id": "e7", "tech": "T-100", "type": "wo_check_out", "work_order": "WO-7", "at": "2026-03-02T15:20:00-06:00"}',
    '{"id": "e8", "tech": "T-100", "type": "drive", "start": "2026-03-02T15:20:00-06:00", '
    '"end": "2026-03-02T15:50:00-06:00", "km": 12.4, "from": "site", "to": "depot"}',
    '{"id": "e4", "tech": "T-100", "type": "clock_out", "at": "2026-03-02T16:00:00-06:00"}',
    '{"id": "f1", "tech": "T-200", "type": "clock_in", "at": "2026-03-02T08:00:00-06:00"}',
    '{"id": "f2", "tech": "T-200", "type": "clock_out", "at": "2026-03-02T12:00:00-06:00"}',
]


def _run(tmp_path, lines, *args):
    events = tmp_path / "events.jsonl"
    events.write_text("\n".join(lines) + "\n")
    return CliRunner().invoke(
        main, ["timesheet", "compute", "--events", str(events), "--tz", "America/Chicago", *args]
    )


def test_json_output_has_days_weeks_and_exceptions(tmp_path):
    result = _run(tmp_path, DAY, "--json", "--wage", "30")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    maria, tom = data["technicians"]
    assert maria["technician_id"] == "T-100"
    day = maria["days"][0]
    assert day["date"] == "2026-03-02"
    assert day["worked_hours"] == "8.5000"  # exact decimal strings, never floats (docs/events.md)
    assert day["unpaid_meal_hours"] == "0.5000"
    assert day["drive_hours"] == {"": "0.5000", "WO-7": "0.5000"}
    assert day["on_site_hours"] == {"WO-7": "7.1667"}
    assert day["gap_hours"] == "0.3333"  # 07:00-07:10 and 15:50-16:00
    assert maria["weeks"] == [
        {"start": "2026-03-02", "worked_hours": "8.5000", "regular_hours": "8.5000", "overtime_hours": "0.0000",
         "double_time_hours": "0.0000", "premium_hours": 0, "holiday_hours": "0.0000",
         "holiday_worked_hours": "0.0000", "cost": "255.00"}
    ]
    assert maria["exceptions"] == []
    assert tom["days"][0]["worked_hours"] == "4.0000"
    assert [e["code"] for e in tom["exceptions"]] == ["unaccounted_gap"]


def test_table_output(tmp_path):
    result = _run(tmp_path, DAY)
    assert result.exit_code == 0
    assert "Technician T-100" in result.output
    assert "2026-03-02 07:00 16:00    8.50" in result.output


def test_bad_lines_go_to_stderr_and_the_rest_is_computed(tmp_path):
    lines = DAY[:4] + ["not json", '{"id": "x", "tech": "T-100", "type": "clock_out", "at": "2026-03-02T16:00"}'] + DAY[4:]
    result = _run(tmp_path, lines, "--json")
    assert result.exit_code == 1
    assert "events.jsonl:5: not JSON" in result.stderr
    assert "events.jsonl:6: 'at' has no UTC offset" in result.stderr
    assert json.loads(result.stdout)["technicians"][0]["days"][0]["worked_hours"] == "8.5000"


def test_period_filter_and_policy_options(tmp_path):
    result = _run(tmp_path, DAY, "--json", "--from", "2026-03-03", "--policy", "california",
                  "--week-start", "sunday")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["technicians"][0]
    assert data["days"] == []
    assert data["weeks"][0]["start"] == "2026-03-01"


def test_a_custom_policy_file_and_a_wrong_one(tmp_path):
    policy = tmp_path / "union.toml"
    policy.write_text("[overtime]\ndaily_ot_after = 8\n")
    assert _run(tmp_path, DAY, "--policy", str(policy), "--json").exit_code == 0
    policy.write_text("[overtime]\ndaily = 8\n")
    result = _run(tmp_path, DAY, "--policy", str(policy))
    assert result.exit_code == 2 and "unknown setting" in result.output
    assert "no overtime preset" in _run(tmp_path, DAY, "--policy", "texas").output


def _days(tech: str, first: int, last: int, start: str, end: str) -> list[str]:
    """A clock-in and out on each of 2026-03-<first>..<last>, Chicago time."""
    return [
        f'{{"id": "{tech}-{day}-{kind}", "tech": "{tech}", "type": "clock_{kind}", '
        f'"at": "2026-03-{day:02d}T{when}:00-06:00"}}'
        for day in range(first, last + 1) for kind, when in (("in", start), ("out", end))
    ]


def test_ontario_pays_overtime_after_44_hours_a_week_not_after_8_a_day(tmp_path):
    # ESA 2000 s.22: five 10-hour days (Mon 2 - Fri 6 March 2026) are 44 regular + 6 overtime
    week = _days("T-300", 2, 6, "07:00", "17:00")
    result = _run(tmp_path, week, "--json", "--policy", "ontario", "--wage", "20")
    assert result.exit_code == 0, result.output
    (tech,) = json.loads(result.output)["technicians"]
    (week_json,) = tech["weeks"]
    assert (week_json["regular_hours"], week_json["overtime_hours"]) == ("44.0000", "6.0000")
    assert week_json["cost"] == "1060.00"  # 44 x 20 + 6 x 30
    assert [d["overtime_hours"] for d in tech["days"]] == ["0.0000"] * 4 + ["6.0000"]


def test_nevada_daily_overtime_depends_on_the_wage(tmp_path):
    # NRS 608.018: a 10-hour day is 2 hours overtime below $18.00 an hour, none from $18.00
    day = _days("T-400", 2, 2, "07:00", "17:00")
    below = json.loads(_run(tmp_path, day, "--json", "--policy", "nevada", "--wage", "17").output)
    above = json.loads(_run(tmp_path, day, "--json", "--policy", "nevada", "--wage", "18").output)
    assert below["technicians"][0]["weeks"][0]["overtime_hours"] == "2.0000"
    assert above["technicians"][0]["weeks"][0]["overtime_hours"] == "0.0000"


def _periods(result) -> list[tuple[str, str]]:
    assert result.exit_code == 0, result.output
    return [(p["start"], p["end"]) for p in json.loads(result.output)["technicians"][0]["pay_periods"]]


def test_issue_16_pay_period_and_anchor_options(tmp_path):
    assert _periods(_run(tmp_path, DAY, "--json")) == [("2026-03-02", "2026-03-15")]
    assert _periods(_run(tmp_path, DAY, "--json", "--pay-period", "weekly")) == [("2026-03-02", "2026-03-08")]
    assert _periods(_run(tmp_path, DAY, "--json", "--pay-period", "biweekly", "--period-anchor",
                         "2026-01-12")) == [("2026-02-23", "2026-03-08")]
    assert _periods(_run(tmp_path, DAY, "--json", "--pay-period", "semimonthly")) == [("2026-03-01", "2026-03-15")]
    assert _periods(_run(tmp_path, DAY, "--json", "--pay-period", "monthly")) == [("2026-03-01", "2026-03-31")]
    # A Sunday workweek without an anchor: periods start on the Sunday before 2026-01-05.
    assert _periods(_run(tmp_path, DAY, "--json", "--week-start", "sunday")) == [("2026-03-01", "2026-03-14")]


def test_issue_16_an_anchor_off_the_workweek_start_is_refused(tmp_path):
    """labor-rules.md P1: weekly and bi-weekly periods are anchored to the workweek start."""
    result = _run(tmp_path, DAY, "--week-start", "sunday", "--period-anchor", "2026-01-05")
    assert result.exit_code == 2
    assert "--period-anchor and --week-start disagree" in result.output
    assert "2026-01-05 is a monday" in result.output and "2026-01-04" in result.output
    # Semi-monthly and monthly periods follow the calendar: any anchor is moot.
    assert _run(tmp_path, DAY, "--week-start", "sunday", "--period-anchor", "2026-01-05",
                "--pay-period", "monthly").exit_code == 0
