"""`depotclock hub export` prints the file, its checksum, the counts and what changed."""

from __future__ import annotations

import re
from datetime import datetime

from click.testing import CliRunner

from depotclock.cli import main
from tests.integration.export.company import approve_all_but_chen, move_punch, seed
from tests.unit.export import scenario


def _config(tmp_path, url: str):
    path = tmp_path / "hub.toml"
    path.write_text(
        f'database_url = "{url}"\nmqtt_url = "mqtt://hub:secret@127.0.0.1:1883"\n'
        '[export.adp]\ncompany_code = "DC1"\nbatch_id = "MAR02"\n'
    )
    return path


def _run(config, *args):
    result = CliRunner().invoke(main, ["hub", "--config", str(config), "export", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_export_prints_the_file_checksum_counts_and_changes(session, migrated_url, tmp_path):
    punches = seed(session)
    approve_all_but_chen(session)
    config, out = _config(tmp_path, migrated_url), tmp_path / "out"
    first = _run(config, "--period", "2026-03-09", "--format", "adp", "--out", str(out), "--by", "pat")
    assert f"{out / 'PRDC1EPI.csv'}  sha256 " in first
    assert re.search(r"sha256 [0-9a-f]{64}", first)
    assert "technicians in the file: 3; left out: 1" in first
    assert "left out T-400 -Chen Wu: not approved for every week of the period" in first
    assert "first export of this period" in first

    monday_in = next(p for p in punches.values() if p.technician_id == "T-300" and p.action == "clock_in")
    move_punch(session, monday_in, datetime(2026, 3, 2, 21, 0, tzinfo=scenario.CHICAGO))
    second = _run(config, "--period", "2026-03-15", "--format", "adp", "--out", str(out))
    assert "changed since export 1 (adp" in second
    assert "T-300 Okafor: regular 59.17 -> 60.17" in second

    again = _run(config, "--again", "1", "--out", str(tmp_path / "again"))
    assert (tmp_path / "again" / "PRDC1EPI.csv").exists() and "PRDC1EPI.csv" in again


def test_a_preview_of_an_import_format_is_refused_and_says_why(session, migrated_url, tmp_path):
    """Issue 17 #3: an ADP preview could be imported once renamed."""
    seed(session)
    result = CliRunner().invoke(main, ["hub", "--config", str(_config(tmp_path, migrated_url)), "export",
                                       "--period", "2026-03-09", "--format", "adp", "--preview",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "a preview is written only as DepotClock CSV" in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_export_without_period_or_format_is_a_usage_error(migrated_url, tmp_path):
    result = CliRunner().invoke(main, ["hub", "--config", str(_config(tmp_path, migrated_url)), "export"])
    assert result.exit_code == 2 and "--period and --format" in result.output


def test_an_export_nobody_goes_in_is_refused_unless_empty_ok(session, migrated_url, tmp_path):
    """Issue 18: an export of 0 technicians was recorded without a word."""
    seed(session)  # nobody approved
    config = _config(tmp_path, migrated_url)
    args = ["hub", "--config", str(config), "export", "--period", "2026-03-09", "--format", "adp",
            "--out", str(tmp_path / "out")]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1 and "no technician would go in the file; left out: T-" in refused.output
    assert "not approved for every week of the period" in refused.output and "--empty-ok" in refused.output
    assert not list((tmp_path / "out").iterdir())
    recorded = CliRunner().invoke(main, [*args, "--empty-ok"])
    assert recorded.exit_code == 0 and "technicians in the file: 0; left out: 4" in recorded.output
