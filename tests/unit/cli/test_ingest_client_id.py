"""`hub ingest --client-id` is also the broker login (the broker takes usernames as client
ids, issue 22): only the hub account's ingest logins are accepted, before anything starts."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from depotclock.cli import main


@pytest.mark.parametrize("client_id", ["shared-1", "hub", "kiosk-1", "hub-ingest-17", "other-ingest"])
def test_a_client_id_that_is_no_ingest_login_is_refused(tmp_path, client_id):
    config = tmp_path / "hub.toml"
    config.write_text(f'database_url = "sqlite:///{tmp_path}/hub.db"\nmqtt_url = "mqtt://hub:x@127.0.0.1:1"\n')
    result = CliRunner().invoke(main, ["hub", "--config", str(config), "ingest", "--client-id", client_id])
    assert result.exit_code == 2
    assert "hub-ingest or hub-ingest-N" in result.output
