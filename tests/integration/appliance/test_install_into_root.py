"""The installer carried out for real against a throw-away root: users and groups in its
/etc, a venv with the wheel, the config root:depotclock-kiosk 0640, the units enabled by
systemctl --root; a second run changes nothing; --uninstall keeps the journal. (Starting
the units needs a booted systemd: scripts/prove-appliance.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

from depotclock.appliance.cli import CHECKOUT, role_options, source_of
from depotclock.appliance.plan import Source, paths_to_probe, plan_install, plan_uninstall
from depotclock.appliance.probe import probe
from depotclock.appliance.roles import NEEDS, PCSC, READER_BUILD, SCREEN, Role
from depotclock.appliance.steps import Machine, execute

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="chown and useradd --prefix need root")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """depotclock built as a wheel, as the hub would serve it."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(CHECKOUT)],
                   check=True, timeout=240)
    return next(out.glob("depotclock-*.whl"))


def _pi_root(root: Path) -> None:
    """/etc and dpkg's status of a Raspberry Pi OS with the kiosk's packages already there."""
    etc = root / "etc"
    etc.mkdir()
    (etc / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (etc / "shadow").write_text("root:*:19000:0:99999:7:::\n")
    groups = ["root:x:0:", "spi:x:999:", "gpio:x:998:", "input:x:997:", "video:x:44:"]
    (etc / "group").write_text("\n".join(groups) + "\n")
    (etc / "gshadow").write_text("".join(f"{g.split(':')[0]}:!::\n" for g in groups))
    shutil.copy("/etc/login.defs", etc / "login.defs")
    (root / "var/lib/dpkg").mkdir(parents=True)
    packages = {*NEEDS[Role.KIOSK].packages, *SCREEN, *PCSC, *READER_BUILD}
    (root / "var/lib/dpkg/status").write_text(
        "".join(f"Package: {p}\nStatus: install ok installed\n\n" for p in sorted(packages)))


def test_install_again_and_uninstall_in_a_throwaway_root(tmp_path, wheel):
    root = tmp_path / "root"
    root.mkdir()
    _pi_root(root)
    config = tmp_path / "kiosk.toml"
    config.write_text('kiosk_id = "kiosk-1"\ndepot_id = "north"\nmqtt_url = "mqtt://kiosk-1:pw@hub.example:1883"\n')
    options = role_options(Role.KIOSK, config)
    given = source_of(str(wheel))
    source = Source(given.location, given.version, pip_options=("--no-deps", "--no-index"))
    paths = paths_to_probe(Role.KIOSK)

    execute(plan_install(Role.KIOSK, config.read_bytes(), options, source, probe(root, paths)), Machine(root), say=lambda _: None)

    passwd = (root / "etc/passwd").read_text()
    assert "depotclock-kiosk:" in passwd and "depotclock-screen:" in passwd
    assert "spi:x:999:depotclock-kiosk" in (root / "etc/group").read_text()
    installed = root / "etc/depotclock/kiosk.toml"
    assert installed.read_bytes() == config.read_bytes() and installed.stat().st_mode & 0o777 == 0o640
    state = probe(root, paths)
    assert state.files[PurePosixPath("/etc/depotclock/kiosk.toml")].group == "depotclock-kiosk"
    assert (root / "opt/depotclock/.venv/bin/depotclock").exists() and state.venv_version == given.version
    wants = root / "etc/systemd/system/multi-user.target.wants"
    assert {p.name for p in wants.iterdir()} == {"depotclock-kiosk.service", "depotclock-kiosk-screen.service"}

    assert plan_install(Role.KIOSK, config.read_bytes(), options, source, state) == []

    journal = root / "var/lib/depotclock-kiosk/journal.db"
    journal.parent.mkdir(parents=True)
    journal.write_bytes(b"punches")
    execute(plan_uninstall(Role.KIOSK, probe(root, paths), purge=False), Machine(root), say=lambda _: None)
    assert "depotclock-kiosk:" not in (root / "etc/passwd").read_text()
    assert not (root / "opt/depotclock").exists() and not wants.exists() or not any(wants.iterdir())
    assert journal.read_bytes() == b"punches" and installed.exists()
