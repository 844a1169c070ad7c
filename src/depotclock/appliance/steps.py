"""The installer's steps, each one change to the machine, and the machine they are applied
to. A `Machine` is `/` (the running system, with systemd) or a throw-away root: there the
user tools and systemctl work on the tree (`--prefix`, `--root`) and what needs a running
systemd or apt is said and left out."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from depotclock.errors import DepotClockError


class StepFailed(DepotClockError):
    """A command of the installer failed; the message has its output."""


@dataclass
class Machine:
    root: Path = Path("/")

    @property
    def live(self) -> bool:
        """The running system (systemd, apt), not a tree under another root."""
        return self.root == Path("/")

    def path(self, path: PurePosixPath) -> Path:
        return self.root / path.relative_to("/")

    def run(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        # Not the installer's own Python paths: pip would take what they hold as installed.
        clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
        result = subprocess.run(argv, capture_output=True, text=True, env={**clean, **(env or {})})
        if result.returncode != 0:
            raise StepFailed(f"`{' '.join(argv)}` failed (exit status {result.returncode}): "
                             f"{(result.stderr or result.stdout).strip()[-2000:]}")

    def user_tool(self, tool: str, *args: str) -> None:
        """useradd, usermod, userdel on this machine's /etc."""
        self.run([tool, *([] if self.live else ["--prefix", str(self.root)]), *args])

    def systemctl(self, *args: str) -> None:
        self.run(["systemctl", *([] if self.live else [f"--root={self.root}"]), *args])


@dataclass(frozen=True)
class InstallPackages:
    names: tuple[str, ...]

    def __str__(self) -> str:
        return f"install Debian packages: {' '.join(self.names)}"

    def apply(self, machine: Machine) -> None:
        if not machine.live:
            raise StepFailed(f"cannot install Debian packages into {machine.root}: install {' '.join(self.names)} there first")
        machine.run(["apt-get", "update", "-qq"])  # a fresh image's package lists are stale or empty
        machine.run(["apt-get", "install", "-y", "--no-install-recommends", *self.names],
                    env={"DEBIAN_FRONTEND": "noninteractive"})


@dataclass(frozen=True)
class CreateUser:
    name: str
    home: PurePosixPath
    groups: tuple[str, ...]

    def __str__(self) -> str:
        return f"create system user {self.name}" + (f" in groups {','.join(self.groups)}" if self.groups else "")

    def apply(self, machine: Machine) -> None:
        machine.user_tool("useradd", "--system", "--user-group", "--home-dir", str(self.home), "--no-create-home",
                          "--shell", "/usr/sbin/nologin", *(["--groups", ",".join(self.groups)] if self.groups else []),
                          self.name)


@dataclass(frozen=True)
class AddToGroups:
    user: str
    groups: tuple[str, ...]

    def __str__(self) -> str:
        return f"add {self.user} to groups {','.join(self.groups)}"

    def apply(self, machine: Machine) -> None:
        machine.user_tool("usermod", "--append", "--groups", ",".join(self.groups), self.user)


@dataclass(frozen=True)
class RemoveUser:
    name: str

    def __str__(self) -> str:
        return f"remove system user {self.name}"

    def apply(self, machine: Machine) -> None:
        machine.user_tool("userdel", self.name)


@dataclass(frozen=True)
class CreateVenv:
    path: PurePosixPath

    def __str__(self) -> str:
        return f"create the virtual environment {self.path}"

    def apply(self, machine: Machine) -> None:
        machine.run(["python3", "-m", "venv", str(machine.path(self.path))])


def requirement(source: str, extras: tuple[str, ...]) -> str:
    """pip's requirement for depotclock with `extras` from a checkout, a wheel or a wheel's URL."""
    if "://" in source:  # a URL takes its extras as a direct reference (PEP 508)
        return f"depotclock[{','.join(extras)}] @ {source}"
    return f"{source}[{','.join(extras)}]"


@dataclass(frozen=True)
class InstallDistribution:
    """pip install of depotclock with its extras, from a checkout, a wheel or a wheel's URL."""

    venv: PurePosixPath
    source: str
    extras: tuple[str, ...]
    extras_file: PurePosixPath
    pip_options: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"install depotclock[{','.join(self.extras)}] from {self.source} into {self.venv}"

    def apply(self, machine: Machine) -> None:
        scripts = machine.path(self.venv) / "bin"
        machine.run([str(scripts / "pip"), "install", "--quiet", "--upgrade", *self.pip_options,
                     requirement(self.source, self.extras)])
        # What a unit run with PYTHONOPTIMIZE=2 loads: it may not write to the venv itself.
        machine.run([str(scripts / "python"), "-OO", "-m", "compileall", "-q", "-j", "0", str(machine.path(self.venv) / "lib")])
        machine.path(self.extras_file).write_text(" ".join(self.extras) + "\n")


@dataclass(frozen=True)
class WriteFile:
    path: PurePosixPath
    content: bytes
    mode: int
    owner: str = "root"
    group: str = "root"

    def __str__(self) -> str:
        return f"write {self.path} ({self.owner}:{self.group}, {self.mode:04o})"

    def apply(self, machine: Machine) -> None:
        target = machine.path(self.path)
        target.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.new")
        temporary.write_bytes(self.content)
        _chown(machine, temporary, self.owner, self.group)
        temporary.chmod(self.mode)
        temporary.replace(target)


@dataclass(frozen=True)
class MakeDirectory:
    path: PurePosixPath
    mode: int
    owner: str
    group: str

    def __str__(self) -> str:
        return f"make directory {self.path} ({self.owner}:{self.group}, {self.mode:04o})"

    def apply(self, machine: Machine) -> None:
        target = machine.path(self.path)
        target.mkdir(parents=True, exist_ok=True)
        _chown(machine, target, self.owner, self.group)
        target.chmod(self.mode)


@dataclass(frozen=True)
class Remove:
    """A file, or a directory and all under it."""

    path: PurePosixPath

    def __str__(self) -> str:
        return f"remove {self.path}"

    def apply(self, machine: Machine) -> None:
        target = machine.path(self.path)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)


@dataclass(frozen=True)
class ReloadSystemd:
    def __str__(self) -> str:
        return "reload systemd's units"

    def apply(self, machine: Machine) -> None:
        if machine.live:
            machine.systemctl("daemon-reload")


@dataclass(frozen=True)
class EnableUnits:
    units: tuple[str, ...]

    def __str__(self) -> str:
        return f"enable and start {' '.join(self.units)}"

    def apply(self, machine: Machine) -> None:
        machine.systemctl("enable", *(["--now"] if machine.live else []), *self.units)


@dataclass(frozen=True)
class RestartUnits:
    units: tuple[str, ...]

    def __str__(self) -> str:
        return f"restart {' '.join(self.units)}"

    def apply(self, machine: Machine) -> None:
        if machine.live:
            machine.systemctl("restart", *self.units)


@dataclass(frozen=True)
class DisableUnits:
    units: tuple[str, ...]

    def __str__(self) -> str:
        return f"stop and disable {' '.join(self.units)}"

    def apply(self, machine: Machine) -> None:
        machine.systemctl("disable", *(["--now"] if machine.live else []), *self.units)


@dataclass(frozen=True)
class RunAs:
    """A command as a role's user, e.g. the hub's database migration."""

    user: str
    argv: tuple[str, ...]

    def __str__(self) -> str:
        return f"run as {self.user}: {' '.join(self.argv)}"

    def apply(self, machine: Machine) -> None:
        if machine.live:
            machine.run(["runuser", "-u", self.user, "--", *self.argv])


Step = (InstallPackages | CreateUser | AddToGroups | RemoveUser | CreateVenv | InstallDistribution | WriteFile
        | MakeDirectory | Remove | ReloadSystemd | EnableUnits | RestartUnits | DisableUnits | RunAs)


def _chown(machine: Machine, path: Path, owner: str, group: str) -> None:
    """chown by the names in this machine's /etc (a throw-away root has its own)."""
    os.chown(path, _number(machine, "passwd", owner), _number(machine, "group", group))


def _number(machine: Machine, database: str, name: str) -> int:
    for line in machine.path(PurePosixPath("/etc") / database).read_text().splitlines():
        fields = line.split(":")
        if fields[0] == name:
            return int(fields[2])
    raise StepFailed(f"no {'user' if database == 'passwd' else 'group'} {name} in {machine.path(PurePosixPath('/etc') / database)}")


def execute(steps: list[Step], machine: Machine, say=print) -> None:
    """Apply the steps in order, saying each; the first that fails stops the rest."""
    for step in steps:
        say(f"- {step}")
        step.apply(machine)
