"""`depotclock install`: a config that does not validate stops it before it looks at the
machine, naming the setting; --dry-run says the steps and does none."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from depotclock.cli import main


def test_a_config_that_does_not_validate_is_refused_naming_the_setting(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('kiosk_id = "kiosk 1"\ndepot_id = "north"\nmqtt_url = "mqtt://k:pw@hub.example"\n')
    result = CliRunner().invoke(main, ["install", "kiosk", "--config", str(config)])
    assert result.exit_code == 1
    assert f"setting 'kiosk_id' (config file {config})" in result.output


@pytest.mark.skipif(os.geteuid() != 0, reason="the plan refuses a user other than root")
def test_a_dry_run_in_an_empty_root_lists_the_steps_and_does_none(tmp_path):
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc/group").write_text("spi:x:999:\ngpio:x:998:\ninput:x:997:\n")
    config = tmp_path / "vehicle.toml"
    config.write_text('vehicle_id = "van-12"\nmqtt_url = "mqtt://van-12:pw@hub.example"\n')
    result = CliRunner().invoke(main, ["install", "vehicle", "--config", str(config), "--root", str(root), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "- create system user depotclock-vehicle in groups spi,gpio,input" in result.output
    assert "- enable and start depotclock-vehicle.service" in result.output
    assert sorted(p.name for p in root.rglob("*")) == ["etc", "group"]
