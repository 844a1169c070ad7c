"""The installer carried out for real against a throw-away root that looks like Raspberry
Pi OS, the kiosk's life in one walk: installed (users and groups in its /etc, a venv with
the wheel, the config root:depotclock-kiosk 0640, the units enabled by systemctl --root);
run again, nothing to do; punches journaled while the broker is down; upgraded to a newer
wheel with its journal untouched, restarted as systemd restarts it, and the punches
journaled before the upgrade sent after it; uninstalled, the journal and config kept.
(Starting the units under a booted systemd: scripts/prove-appliance.)"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path, PurePosixPath

import pytest

from depotclock.appliance.cli import role_options, source_of
from depotclock.appliance.plan import Source, paths_to_probe, plan_install, plan_uninstall
from depotclock.appliance.probe import probe
from depotclock.appliance.roles import Role
from depotclock.appliance.steps import InstallDistribution, Machine, RestartUnits, execute
from depotclock.mosquitto import free_port
from depotclock.wire.messages import RosterEntry, TechState
from tests.integration.kiosk.hub_side import StatusWatcher, publish_roster
from tests.integration.kiosk.test_kiosk_process import KioskProcess
from tests.waiting import eventually

pytestmark = [pytest.mark.broker, pytest.mark.skipif(os.geteuid() != 0, reason="chown and useradd --prefix need root")]
BADGES = ["B0000001", "B0000002", "B0000003"]
PATHS = paths_to_probe(Role.KIOSK)
_eventually = partial(eventually, timeout=60.0)


def _punches(journal: Path, unsent: bool) -> int:
    with sqlite3.connect(f"file:{journal}?mode=ro", uri=True) as db:
        where = " AND sent_at IS NULL" if unsent else ""
        return db.execute(f"SELECT count(*) FROM entries WHERE kind = 'punch'{where}").fetchone()[0]


def _install(root: Path, config: Path, wheel: Path) -> list:
    """What `depotclock install kiosk --config CONFIG --source WHEEL` does (without the
    wheel's dependencies: the kiosk here runs from the test's venv)."""
    given = source_of(str(wheel))
    source = Source(given.location, given.version, pip_options=("--no-deps", "--no-index"))
    steps = plan_install(Role.KIOSK, config.read_bytes(), role_options(Role.KIOSK, config), source, probe(root, PATHS))
    execute(steps, Machine(root), say=lambda _: None)
    return steps


def test_install_again_upgrade_with_the_journal_kept_and_uninstall(make_broker, tmp_path, pi_root, wheel, newer_wheel):
    broker = make_broker()
    publish_roster(broker.port, datetime.now(timezone.utc) - timedelta(minutes=5), tuple(
        RosterEntry(tech=f"T-{n}", name=f"Tech {n}", badges=(badge,), state=TechState.OFF)
        for n, badge in enumerate(BADGES)
    ))
    state_dir = pi_root / "var/lib/depotclock-kiosk"
    state_dir.mkdir(parents=True)
    feed, journal = tmp_path / "taps", state_dir / "journal.db"
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'kiosk_id = "kiosk-1"\ndepot_id = "north"\nmqtt_url = "{broker.url("kiosk-1")}"\n'
        f'journal_path = "{journal}"\nscreen_port = {free_port()}\ndouble_read_s = 0.5\nanswer_s = 0.3\n'
        f'[reader]\nfamily = "simulated"\nsimulated_feed = "{feed}"\n'
    )

    _install(pi_root, config, wheel)
    passwd = (pi_root / "etc/passwd").read_text()
    assert "depotclock-kiosk:" in passwd and "depotclock-screen:" in passwd
    assert "spi:x:999:depotclock-kiosk" in (pi_root / "etc/group").read_text()
    installed = pi_root / "etc/depotclock/kiosk.toml"
    assert installed.read_bytes() == config.read_bytes() and installed.stat().st_mode & 0o777 == 0o640
    state = probe(pi_root, PATHS)
    assert state.files[PurePosixPath("/etc/depotclock/kiosk.toml")].group == "depotclock-kiosk"
    assert (pi_root / "opt/depotclock/.venv/bin/depotclock").exists() and state.venv_version == source_of(str(wheel)).version
    wants = pi_root / "etc/systemd/system/multi-user.target.wants"
    assert {p.name for p in wants.iterdir()} == {"depotclock-kiosk.service", "depotclock-kiosk-screen.service"}
    assert _install(pi_root, config, wheel) == []  # run again: nothing to do

    status = StatusWatcher(broker.port)
    kiosk = KioskProcess(config, feed, tmp_path / "kiosk.log").start()
    try:
        assert _eventually(lambda: status.last.get("state") == "online")
        broker.process.kill()
        for badge in BADGES:
            kiosk.tap(badge)
        assert _eventually(lambda: _punches(journal, unsent=True) == 3), kiosk.log.read_text()[-2000:]

        steps = _install(pi_root, config, newer_wheel)
        assert [type(s) for s in steps] == [InstallDistribution, RestartUnits]  # nothing else, the journal least
        assert probe(pi_root, []).venv_version.endswith(".post1")
        kiosk.stop()  # systemctl restart: SIGTERM, then the new version starts on the same journal
        kiosk.start()
        broker.process.start()
        assert _eventually(lambda: _punches(journal, unsent=True) == 0, timeout=90), kiosk.log.read_text()[-2000:]
        assert _punches(journal, unsent=False) == 3
    finally:
        kiosk.stop()

    execute(plan_uninstall(Role.KIOSK, probe(pi_root, PATHS), purge=False), Machine(pi_root), say=lambda _: None)
    assert "depotclock-kiosk:" not in (pi_root / "etc/passwd").read_text()
    assert not (pi_root / "opt/depotclock").exists() and not wants.exists()  # systemctl removes the emptied .wants
    assert _punches(journal, unsent=False) == 3 and installed.exists()
