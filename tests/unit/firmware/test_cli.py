"""`depotclock vehicle ...`: a wrong setting or route stops it with a message naming it."""

from __future__ import annotations

from click.testing import CliRunner

from firmware.cli import vehicle


def config(tmp_path, reader: str = "") -> str:
    path = tmp_path / "vehicle.toml"
    path.write_text(
        f'vehicle_id = "van-1"\nmqtt_url = "mqtt://van-1:x@127.0.0.1:1"\n'
        f'journal_path = "{tmp_path / "journal.db"}"\n{reader}'
    )
    return str(path)


def test_a_cab_reader_without_its_device_is_a_setting_error(tmp_path):
    result = CliRunner().invoke(vehicle, ["run", "--config", config(tmp_path, '[reader]\nfamily = "wedge"\n')])
    assert result.exit_code == 1
    assert "setting 'reader.wedge_device' is needed" in result.output


def test_an_unknown_reader_family_names_the_setting(tmp_path):
    result = CliRunner().invoke(vehicle, ["run", "--config", config(tmp_path, '[reader]\nfamily = "rfid9000"\n')])
    assert result.exit_code == 1
    assert "setting 'reader.family'" in result.output


def test_a_route_that_cannot_be_played_names_the_line(tmp_path):
    route = tmp_path / "route.csv"
    route.write_text("# zone: America/Chicago\ntime,event,value,lat,lon,speed_kmh,heading_deg,accuracy_m\n"
                     "07:00:00,ignition,maybe,,,,,\n")
    result = CliRunner().invoke(vehicle, ["simulate", "--config", config(tmp_path), "--route", str(route)])
    assert result.exit_code == 1
    assert f"{route}, line 3: ignition is 'on' or 'off'" in result.output
