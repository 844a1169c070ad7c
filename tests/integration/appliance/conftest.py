"""A throw-away root that looks like Raspberry Pi OS to the installer, and depotclock built
as wheels (this version and a newer one), as the hub would serve them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from depotclock.appliance.cli import CHECKOUT
from depotclock.appliance.roles import NEEDS, PCSC, READER_BUILD, SCREEN, Role


def _build_wheel(copy: Path, version_suffix: str = "") -> Path:
    """A wheel built from a copy of the checkout (setuptools leaves build/ where it builds)."""
    for part in ("src", "firmware", "README.md"):
        (shutil.copytree if (CHECKOUT / part).is_dir() else shutil.copy)(CHECKOUT / part, copy / part)
    pyproject = (CHECKOUT / "pyproject.toml").read_text()
    (copy / "pyproject.toml").write_text(re.sub(r'^version = "([^"]+)"', rf'version = "\1{version_suffix}"', pyproject, flags=re.M))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(copy / "dist"), str(copy)],
                   check=True, timeout=240)
    return next((copy / "dist").glob("depotclock-*.whl"))


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """depotclock as it is."""
    return _build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def newer_wheel(tmp_path_factory) -> Path:
    """depotclock with a later version number: the upgrade."""
    return _build_wheel(tmp_path_factory.mktemp("newer"), ".post1")


@pytest.fixture
def pi_root(tmp_path) -> Path:
    """/etc and dpkg's status of a Raspberry Pi OS with the kiosk's packages already there."""
    root = tmp_path / "root"
    etc = root / "etc"
    etc.mkdir(parents=True)
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
    return root
