"""The installer's plan: from a role, its config and what the machine already has, the
steps that make the machine run that role, and only those (a second run finds nothing to
do, a newer package is an upgrade). Pure: the machine comes in as a `SystemState`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from depotclock.appliance.probe import FileState, SystemState
from depotclock.appliance.roles import (
    CONFIG_DIR,
    EXTRAS_FILE,
    NEEDS,
    PCSC,
    READER_BUILD,
    SCREEN,
    SCREEN_GROUPS,
    SCREEN_OPTIONAL_GROUPS,
    SCREEN_PAM,
    SCREEN_UNIT,
    SCREEN_USER,
    UNIT_DIR,
    VENV,
    Role,
    pam_text,
    unit_file,
    unit_text,
)
from depotclock.appliance.steps import (
    AddToGroups,
    CreateUser,
    CreateVenv,
    DisableUnits,
    EnableUnits,
    InstallDistribution,
    InstallPackages,
    MakeDirectory,
    ReloadSystemd,
    Remove,
    RemoveUser,
    RestartUnits,
    RunAs,
    Step,
    WriteFile,
)
from depotclock.errors import DepotClockError


class InstallRefused(DepotClockError):
    """The installer will not start: the message says what to do first."""


@dataclass(frozen=True)
class Source:
    """Where depotclock is installed from: a checkout, a wheel or a wheel's URL, and its version."""

    location: str
    version: str
    pip_options: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoleOptions:
    """What the role's config changes in the install."""

    screen: bool = False  # a kiosk that shows its page on a display
    reader: str | None = None  # the reader family, None: no reader (a van without a cab reader)
    screen_port: int = 8080  # where the kiosk serves its page


SCREEN_PAGE = "http://127.0.0.1:8080/"  # as the shipped screen unit has it


def _users_and_groups(role: Role, options: RoleOptions, state: SystemState) -> list[tuple[str, PurePosixPath, tuple[str, ...]]]:
    """(user, home, groups) of each user the role runs as; refused when a device group is missing."""
    needs = NEEDS[role]
    users = [(needs.user, needs.home, needs.device_groups)]
    if options.screen:
        optional = tuple(g for g in SCREEN_OPTIONAL_GROUPS if g in state.groups)
        users.append((SCREEN_USER, PurePosixPath("/var/lib/depotclock-screen"), SCREEN_GROUPS + optional))  # the browser's home
    missing = sorted({g for _, _, groups in users for g in groups} - set(state.groups))
    if missing:
        raise InstallRefused(
            f"group(s) {', '.join(missing)} do not exist on this machine: the {role} reaches its devices through them. "
            "Raspberry Pi OS has them; elsewhere create them (groupadd --system NAME) with udev rules that give "
            "the devices (/dev/spidev*, /dev/gpiochip*, /dev/input/*) to them, then run the installer again"
        )
    return users


def _packages(role: Role, options: RoleOptions) -> set[str]:
    packages = set(NEEDS[role].packages)
    if options.screen:
        packages |= set(SCREEN)
    if role is Role.VEHICLE and options.reader is not None:
        packages |= set(READER_BUILD) | (set(PCSC) if options.reader == "pcsc" else set())
    return packages


def _extras(role: Role, options: RoleOptions) -> set[str]:
    extras = {NEEDS[role].extra}
    if role is Role.VEHICLE and options.reader is not None:
        extras.add("readers")
    return extras


def _units(role: Role, options: RoleOptions) -> tuple[str, ...]:
    """The units to enable."""
    return NEEDS[role].units + ((SCREEN_UNIT,) if options.screen else ())


def _unit_files(role: Role, options: RoleOptions) -> list[str]:
    """The unit files to install: a template once for its instances, and what timers start."""
    return list(dict.fromkeys(unit_file(u) for u in _units(role, options) + NEEDS[role].timer_units))


def _unit_content(name: str, options: RoleOptions) -> bytes:
    text = unit_text(name)
    if name == SCREEN_UNIT:
        text = text.replace(SCREEN_PAGE, f"http://127.0.0.1:{options.screen_port}/")
    return text.encode()


def _write_if_changed(state: SystemState, path: PurePosixPath, content: bytes, mode: int,
                      owner: str = "root", group: str = "root") -> list[Step]:
    if state.files.get(path) == FileState(content, mode, owner, group):
        return []
    return [WriteFile(path, content, mode, owner, group)]


def plan_install(role: Role, config: bytes, options: RoleOptions, source: Source, state: SystemState) -> list[Step]:
    """The steps that install (or upgrade) `role` with the `config` file's bytes, which the
    caller has validated."""
    if not state.is_root:
        raise InstallRefused("run the installer as root (sudo): it installs packages, a system user and services")
    needs = NEEDS[role]
    users = _users_and_groups(role, options, state)
    steps: list[Step] = []

    missing_packages = sorted(_packages(role, options) - state.packages)
    if missing_packages:
        steps.append(InstallPackages(tuple(missing_packages)))

    for user, home, groups in users:
        if user not in state.users:
            steps.append(CreateUser(user, home, groups))
        elif lacking := tuple(g for g in groups if user not in state.groups.get(g, frozenset())):
            steps.append(AddToGroups(user, lacking))

    if state.venv_version is None:
        steps.append(CreateVenv(VENV))
    extras = _extras(role, options)
    package_changes = state.venv_version != source.version or not extras <= state.venv_extras
    if package_changes:
        steps.append(InstallDistribution(VENV, source.location, tuple(sorted(extras | state.venv_extras)),
                                         EXTRAS_FILE, source.pip_options))

    if CONFIG_DIR not in state.files:
        steps.append(MakeDirectory(CONFIG_DIR, 0o755, "root", "root"))
    config_steps = _write_if_changed(state, needs.config, config, 0o640, "root", needs.user)
    # The state directory: systemd makes it at start (StateDirectory=); the hub's migration needs it first.
    if role is Role.HUB and needs.home not in state.files:
        steps.append(MakeDirectory(needs.home, 0o750, needs.user, needs.user))

    units = _units(role, options)
    unit_steps = [step for name in _unit_files(role, options)
                  for step in _write_if_changed(state, UNIT_DIR / name, _unit_content(name, options), 0o644)]
    if options.screen:
        unit_steps += _write_if_changed(state, SCREEN_PAM, pam_text().encode(), 0o644)
    steps += config_steps + unit_steps
    if unit_steps:
        steps.append(ReloadSystemd())

    if role is Role.HUB and package_changes:
        steps.append(RunAs(needs.user, (str(VENV / "bin/depotclock"), "hub", "--config", str(needs.config), "upgrade")))
    running = tuple(u for u in units if u in state.enabled)
    if running and (package_changes or config_steps or unit_steps):
        steps.append(RestartUnits(running))
    if new := tuple(u for u in units if u not in state.enabled):
        steps.append(EnableUnits(new))
    return steps


def plan_uninstall(role: Role, state: SystemState, purge: bool) -> list[Step]:
    """The steps that remove what `plan_install` made for `role`. The journal (the state
    directory) and the config stay unless `purge`; Debian packages stay (other software may
    use them); the venv stays while another role uses it."""
    if not state.is_root:
        raise InstallRefused("run the installer as root (sudo): it removes services and a system user")
    needs = NEEDS[role]
    everything = RoleOptions(screen=role is Role.KIOSK)
    steps: list[Step] = []
    if enabled := tuple(u for u in _units(role, everything) if u in state.enabled):
        steps.append(DisableUnits(enabled))
    files = [UNIT_DIR / name for name in _unit_files(role, everything)]
    if role is Role.KIOSK:
        files.append(SCREEN_PAM)
    removed = [Remove(path) for path in files if path in state.files]
    steps += removed
    if removed:
        steps.append(ReloadSystemd())
    for user in (needs.user, SCREEN_USER) if role is Role.KIOSK else (needs.user,):
        if user in state.users:
            steps.append(RemoveUser(user))
    if not _other_role_installed(role, state) and state.venv_version is not None:
        steps.append(Remove(VENV.parent))
    if purge:
        steps += [Remove(path) for path in (needs.config, needs.home) if path in state.files]
    return steps


def paths_to_probe(role: Role) -> list[PurePosixPath]:
    """The files and directories whose state the plan compares (every role's units, to
    know whether another role still uses the venv)."""
    needs = NEEDS[role]
    units = {UNIT_DIR / name for r in Role for name in _unit_files(r, RoleOptions(screen=r is Role.KIOSK))}
    return sorted({CONFIG_DIR, needs.config, needs.home, SCREEN_PAM, *units})


def _other_role_installed(role: Role, state: SystemState) -> bool:
    """Whether another role's main unit is installed here (and so uses the venv)."""
    return any(UNIT_DIR / unit_file(NEEDS[r].units[0]) in state.files for r in Role if r is not role)
