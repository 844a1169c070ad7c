"""The kiosk's settings: the README's example is a working config, and mistakes name themselves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from depotclock.config import ConfigError, load_settings
from depotclock.punch_states import Option
from depotclock.wire.badge import ReaderFamily
from kiosk.settings import KioskSettings

README = Path(__file__).parents[3] / "README.md"


def _readme_example(tmp_path) -> Path:
    section = README.read_text().split("## The kiosk", 1)[1]
    example = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    path = tmp_path / "kiosk.toml"
    path.write_text(example)
    return path


def test_the_readme_example_loads(tmp_path):
    settings = load_settings(KioskSettings, _readme_example(tmp_path))
    assert settings.kiosk_id == "kiosk-north-1" and settings.reader.family is ReaderFamily.PCSC
    assert settings.feedback.buttons[Option.CLOCK_OUT] == 6
    assert settings.default_option is Option.CLOCK_OUT


def test_a_reader_family_that_does_not_exist_is_named(tmp_path):
    path = _readme_example(tmp_path)
    path.write_text(path.read_text().replace('family = "pcsc"', 'family = "magstripe"'))
    with pytest.raises(ConfigError, match=r"setting 'reader.family' \(config file .*kiosk.toml\)"):
        load_settings(KioskSettings, path)


def test_a_wrong_time_zone_is_named(tmp_path):
    path = _readme_example(tmp_path)
    path.write_text(path.read_text().replace("America/Chicago", "Chicago"))
    with pytest.raises(ConfigError, match="timezone.*IANA time zone"):
        load_settings(KioskSettings, path)
