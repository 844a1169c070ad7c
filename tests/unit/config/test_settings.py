"""Settings come from TOML with DEPOTCLOCK_* overrides; a bad one names itself and its source."""

from __future__ import annotations

import pytest

from depotclock.config import ConfigError, load_settings
from hub.settings import HubSettings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in ("DEPOTCLOCK_DATABASE_URL", "DEPOTCLOCK_MQTT_URL", "DEPOTCLOCK_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)


def _toml(tmp_path, text):
    path = tmp_path / "hub.toml"
    path.write_text(text)
    return path


def test_file_values_are_read(tmp_path):
    path = _toml(tmp_path, 'mqtt_url = "mqtt://hub:pw@broker:1883"\ntimezone = "America/Chicago"\n')
    settings = load_settings(HubSettings, path)
    assert settings.mqtt_url == "mqtt://hub:pw@broker:1883"
    assert settings.timezone == "America/Chicago"


def test_environment_overrides_the_file(tmp_path, monkeypatch):
    path = _toml(tmp_path, 'mqtt_url = "mqtt://hub:pw@broker:1883"\n')
    monkeypatch.setenv("DEPOTCLOCK_DATABASE_URL", "postgresql://db/depotclock")
    monkeypatch.setenv("DEPOTCLOCK_MQTT_URL", "mqtts://hub:pw@other")
    settings = load_settings(HubSettings, path)
    assert settings.database_url == "postgresql://db/depotclock"
    assert settings.mqtt_url == "mqtts://hub:pw@other"


def test_missing_setting_names_it_and_the_file(tmp_path):
    path = _toml(tmp_path, 'timezone = "UTC"\n')
    with pytest.raises(ConfigError, match=rf"setting 'mqtt_url' \(config file {path}\)"):
        load_settings(HubSettings, path)


def test_wrong_setting_from_environment_names_the_variable(tmp_path, monkeypatch):
    path = _toml(tmp_path, 'mqtt_url = "mqtt://hub:pw@broker"\n')
    monkeypatch.setenv("DEPOTCLOCK_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ConfigError, match="environment variable DEPOTCLOCK_TIMEZONE.*IANA"):
        load_settings(HubSettings, path)


@pytest.mark.parametrize(
    "line, problem",
    [
        ('mqtt_url = "http://broker"', "mqtt:// or mqtts://"),
        ('mqtt_url = "mqtt://b"\ndatabase_url = "mysql://x"', "sqlite:/// or postgresql://"),
        ('mqtt_url = "mqtt://b"\nmqt_url = "mqtt://x"', "mqt_url"),
        ('mqtt_url = "mqtt://b"\n[ingest]\nbatch_size = 0', "batch_size"),
        ('mqtt_url = "mqtt://b"\n[smtp]\nhost = "mail.example.com"', "smtp.from_address is needed"),
        ('mqtt_url = "mqtt://b"\n[smtp]\nfrom_address = "nobody at example"', "smtp.from_address"),
        ('mqtt_url = "mqtt://b"\n[notices]\nopen_shift_after_h = 18', "must be shorter than payroll.auto_clock_out_after_h"),
    ],
)
def test_wrong_values_and_unknown_keys_are_refused(tmp_path, line, problem):
    path = _toml(tmp_path, line)
    with pytest.raises(ConfigError, match=problem):
        load_settings(HubSettings, path)


def test_missing_or_broken_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(HubSettings, tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(HubSettings, _toml(tmp_path, "mqtt_url = "))


def test_the_readme_example_of_the_hub_loads(tmp_path):
    import re
    from pathlib import Path

    section = (Path(__file__).parents[3] / "README.md").read_text().split("## Configuration", 1)[1]
    path = _toml(tmp_path, re.search(r"```toml\n(.*?)```", section, re.S).group(1))
    settings = load_settings(HubSettings, path)
    assert settings.payroll.approval_levels == 1 and settings.drive_legs.policy().merge_stop_s == 300
    assert (settings.ingest.batch_size, settings.ingest.store_processes) == (10000, None)
    assert settings.web_secret is not None
    assert (settings.smtp.port, settings.smtp.security, str(settings.smtp.from_address)) == (
        587, "starttls", "DepotClock <depotclock@example.com>")


def test_every_overtime_preset_makes_a_policy_and_nevada_takes_the_wage_setting(tmp_path):
    from decimal import Decimal

    from hub.rules.policy import PRESETS

    path = _toml(tmp_path, 'mqtt_url = "mqtt://b"\n[payroll]\ndaily_overtime_below_wage = "19.50"\n')
    payroll = load_settings(HubSettings, path).payroll
    assert {"canada-federal", "ontario", "quebec", "alberta", "british-columbia", "nevada"} <= set(PRESETS)
    for name in PRESETS:
        assert payroll.policy(name).overtime.name == name
    assert payroll.policy("nevada").overtime.daily_ot_below_wage == Decimal("19.50")
    assert payroll.policy("flsa").overtime.daily_ot_below_wage is None


@pytest.mark.parametrize(
    "section, problem",
    [
        ('country = "ZZ"', "no public holidays known for country 'ZZ'"),
        ('country = "CA"\nsubdivision = "XX"', "CA has no subdivision 'XX'; choose one of AB, BC"),
        ('subdivision = "ON"', "needs its country"),
        ('country = "usa"', "country"),
        ("hours = -1", "hours"),
        ("worked_rate = 0.5", "worked_rate"),
    ],
)
def test_a_holiday_calendar_of_an_unknown_place_or_bad_pay_is_refused(tmp_path, section, problem):
    path = _toml(tmp_path, f'mqtt_url = "mqtt://b"\n[payroll.holidays]\n{section}\n')
    with pytest.raises(ConfigError, match=problem):
        load_settings(HubSettings, path)


def test_a_holiday_calendar_by_country_and_subdivision(tmp_path):
    path = _toml(tmp_path, 'mqtt_url = "mqtt://b"\n[payroll.holidays]\ncountry = "CA"\nsubdivision = "ON"\n'
                           'hours = 7.5\nworked_rate = 1.5\n')
    payroll = load_settings(HubSettings, path).payroll
    policy = payroll.policy("ontario").holidays
    assert (str(policy.hours), str(policy.worked_rate), policy.days) == ("7.5", "1.5", ())


def test_issue_16_a_pay_period_anchor_off_the_workweek_start_is_refused(tmp_path):
    """labor-rules.md P1: weekly and bi-weekly periods are anchored to the workweek start;
    a Sunday workweek with a Monday anchor would split every workweek in two periods."""
    path = _toml(tmp_path, 'mqtt_url = "mqtt://b"\n[payroll]\nweek_start = "sunday"\n'
                 'pay_period_anchor = 2026-01-05\n')
    with pytest.raises(ConfigError, match="pay_period_anchor and payroll.week_start disagree.*2026-01-05 is a "
                       "monday but the workweek starts on sunday.*2026-01-04"):
        load_settings(HubSettings, path)


def test_issue_16_without_an_anchor_periods_start_on_the_workweek_start(tmp_path):
    sunday = load_settings(HubSettings, _toml(tmp_path, 'mqtt_url = "mqtt://b"\n[payroll]\nweek_start = "sunday"\n'))
    assert str(sunday.payroll.policy("flsa").pay_period.anchor) == "2026-01-04"
    monthly = load_settings(HubSettings, _toml(tmp_path, 'mqtt_url = "mqtt://b"\n[payroll]\nweek_start = "sunday"\n'
                                               'pay_period = "monthly"\npay_period_anchor = 2026-01-05\n'))
    assert monthly.payroll.pay_period == "monthly"
