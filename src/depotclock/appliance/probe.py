"""What the machine already has, read from the files that say so (dpkg's status, /etc/passwd
and /etc/group, the installed files and unit links) under a root, so the installer's plan
can be computed against a throw-away tree as well as against `/`."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from depotclock.appliance.roles import EXTRAS_FILE, VENV


@dataclass(frozen=True)
class FileState:
    """A file's content (None: a directory), mode and owners."""

    content: bytes | None
    mode: int
    owner: str
    group: str


@dataclass(frozen=True)
class SystemState:
    """The facts the plan depends on; tests build it by hand."""

    is_root: bool
    packages: frozenset[str] = frozenset()  # Debian packages installed
    groups: dict[str, frozenset[str]] = field(default_factory=dict)  # group -> its members
    users: frozenset[str] = frozenset()
    files: dict[PurePosixPath, FileState] = field(default_factory=dict)  # those asked about that exist
    enabled: frozenset[str] = frozenset()  # units enabled (linked from a target's .wants)
    venv_version: str | None = None  # the depotclock version in the venv, None: no venv
    venv_extras: frozenset[str] = frozenset()


def _installed_packages(status: Path) -> frozenset[str]:
    if not status.exists():
        return frozenset()
    installed = set()
    for stanza in status.read_text(errors="replace").split("\n\n"):
        name = re.search(r"^Package: (\S+)", stanza, re.M)
        state = re.search(r"^Status: (.*)$", stanza, re.M)
        if name and state and state.group(1).endswith(" installed"):
            installed.add(name.group(1))
    return frozenset(installed)


def _entries(path: Path) -> list[list[str]]:
    """The colon-separated lines of /etc/passwd or /etc/group."""
    return [line.split(":") for line in path.read_text().splitlines() if line] if path.exists() else []


def _venv_version(venv: Path) -> str | None:
    for metadata in sorted(venv.glob("lib/python3*/site-packages/depotclock-*.dist-info/METADATA")):
        version = re.search(r"^Version: (\S+)", metadata.read_text(), re.M)
        if version:
            return version.group(1)
    return None


def probe(root: Path, paths: list[PurePosixPath]) -> SystemState:
    """The machine under `root`, and the files at `paths` (absolute, as on the machine)."""
    passwd = _entries(root / "etc/passwd")
    group = [entry for entry in _entries(root / "etc/group") if len(entry) == 4]
    user_names = {int(entry[2]): entry[0] for entry in passwd if len(entry) > 2 and entry[2].isdigit()}
    group_names = {int(entry[2]): entry[0] for entry in group if entry[2].isdigit()}
    files = {}
    for path in paths:
        here = root / path.relative_to("/")
        if here.exists():
            stat = here.stat()
            files[path] = FileState(
                here.read_bytes() if here.is_file() else None, stat.st_mode & 0o7777,
                user_names.get(stat.st_uid, str(stat.st_uid)), group_names.get(stat.st_gid, str(stat.st_gid)),
            )
    wants = root / "etc/systemd/system"
    enabled = frozenset(link.name for link in wants.glob("*.wants/*")) if wants.exists() else frozenset()
    extras_file = root / EXTRAS_FILE.relative_to("/")
    return SystemState(
        is_root=os.geteuid() == 0,
        packages=_installed_packages(root / "var/lib/dpkg/status"),
        groups={entry[0]: frozenset(m for m in entry[3].split(",") if m) for entry in group},
        users=frozenset(entry[0] for entry in passwd),
        files=files,
        enabled=enabled,
        venv_version=_venv_version(root / VENV.relative_to("/")),
        venv_extras=frozenset(extras_file.read_text().split()) if extras_file.exists() else frozenset(),
    )
