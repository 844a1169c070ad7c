"""The installer's plan against machines described by hand: a fresh Raspberry Pi OS, one
already installed (nothing to do), a newer package (an upgrade), and the refusals."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from depotclock.appliance.plan import InstallRefused, RoleOptions, Source, plan_install, plan_uninstall
from depotclock.appliance.probe import FileState, SystemState
from depotclock.appliance.roles import NEEDS, SCREEN_UNIT, Role
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
    WriteFile,
    requirement,
)

CONFIG = b'kiosk_id = "kiosk-1"\n'
SOURCE = Source("/srv/depotclock", "0.1.0")
KIOSK = RoleOptions(screen=True, reader="pcsc", screen_port=8080)
PI_GROUPS = {name: frozenset() for name in ("spi", "gpio", "input", "video", "render", "dialout")}


def fresh_pi(**changes) -> SystemState:
    return SystemState(**{"is_root": True, "packages": frozenset({"python3"}), "groups": PI_GROUPS,
                          "users": frozenset({"root", "pi"}), **changes})


def installed(state: SystemState, steps) -> SystemState:
    """The machine after `steps`, as the probe would read it."""
    files = dict(state.files)
    users, groups, enabled = set(state.users), dict(state.groups), set(state.enabled)
    packages, version, extras = set(state.packages), state.venv_version, state.venv_extras
    for step in steps:
        match step:
            case InstallPackages(names):
                packages |= set(names)
            case CreateUser(name, _, member_of):
                users.add(name)
                groups.update({g: groups[g] | {name} for g in member_of})
            case WriteFile(path, content, mode, owner, group):
                files[path] = FileState(content, mode, owner, group)
            case InstallDistribution():
                version, extras = SOURCE.version, frozenset(step.extras)
            case EnableUnits(units):
                enabled |= set(units)
            case MakeDirectory():
                files[step.path] = FileState(None, step.mode, step.owner, step.group)
    return SystemState(is_root=True, packages=frozenset(packages), groups=groups, users=frozenset(users),
                       files=files, enabled=frozenset(enabled), venv_version=version, venv_extras=extras)


def test_a_fresh_pi_gets_packages_users_venv_config_and_started_units():
    steps = plan_install(Role.KIOSK, CONFIG, KIOSK, SOURCE, fresh_pi())
    kinds = [type(step) for step in steps]
    assert kinds[:4] == [InstallPackages, CreateUser, CreateUser, CreateVenv]
    assert {"cage", "chromium", "pcscd", "python3-venv"} <= set(steps[0].names)
    assert steps[1] == CreateUser("depotclock-kiosk", PurePosixPath("/var/lib/depotclock-kiosk"), ("spi", "gpio", "input"))
    assert steps[2].name == "depotclock-screen" and set(steps[2].groups) == {"video", "input", "render"}
    assert InstallDistribution(PurePosixPath("/opt/depotclock/.venv"), "/srv/depotclock", ("kiosk",),
                               PurePosixPath("/opt/depotclock/.venv/depotclock-extras")) in steps
    config = next(s for s in steps if isinstance(s, WriteFile) and s.path.name == "kiosk.toml")
    assert (config.path, config.mode, config.owner, config.group) == (
        PurePosixPath("/etc/depotclock/kiosk.toml"), 0o640, "root", "depotclock-kiosk")
    assert steps[-2:] == [ReloadSystemd(), EnableUnits(("depotclock-kiosk.service", SCREEN_UNIT))]
    assert not any(isinstance(s, RestartUnits) for s in steps)


def test_a_second_run_finds_nothing_to_do():
    first = fresh_pi()
    again = installed(first, plan_install(Role.KIOSK, CONFIG, KIOSK, SOURCE, first))
    assert plan_install(Role.KIOSK, CONFIG, KIOSK, SOURCE, again) == []


def test_a_newer_package_is_installed_and_the_running_units_restarted():
    machine = installed(fresh_pi(), plan_install(Role.KIOSK, CONFIG, KIOSK, SOURCE, fresh_pi()))
    newer = Source("https://hub.example/depotclock-0.2.0-py3-none-any.whl", "0.2.0")
    steps = plan_install(Role.KIOSK, CONFIG, KIOSK, newer, machine)
    assert steps == [
        InstallDistribution(PurePosixPath("/opt/depotclock/.venv"), newer.location, ("kiosk",),
                            PurePosixPath("/opt/depotclock/.venv/depotclock-extras")),
        RestartUnits(("depotclock-kiosk.service", SCREEN_UNIT)),
    ]


def test_a_changed_config_is_written_and_the_units_restarted():
    machine = installed(fresh_pi(), plan_install(Role.KIOSK, CONFIG, KIOSK, SOURCE, fresh_pi()))
    steps = plan_install(Role.KIOSK, CONFIG + b'depot_id = "south"\n', KIOSK, SOURCE, machine)
    assert [type(s) for s in steps] == [WriteFile, RestartUnits]


def test_the_screen_unit_opens_the_configured_port():
    steps = plan_install(Role.KIOSK, CONFIG, RoleOptions(screen=True, screen_port=8181), SOURCE, fresh_pi())
    unit = next(s for s in steps if isinstance(s, WriteFile) and s.path.name == SCREEN_UNIT)
    assert b" http://127.0.0.1:8181/" in unit.content and b":8080" not in unit.content


def test_a_kiosk_without_screen_gets_neither_browser_nor_screen_user():
    steps = plan_install(Role.KIOSK, CONFIG, RoleOptions(screen=False, reader="mfrc522"), SOURCE, fresh_pi())
    assert "cage" not in steps[0].names
    assert [s.name for s in steps if isinstance(s, CreateUser)] == ["depotclock-kiosk"]


def test_a_van_with_a_cab_reader_gets_the_readers_extra_and_gpsd():
    steps = plan_install(Role.VEHICLE, b"", RoleOptions(reader="pcsc"), SOURCE, fresh_pi())
    assert {"gpsd", "pcscd", "swig"} <= set(steps[0].names)
    assert next(s for s in steps if isinstance(s, InstallDistribution)).extras == ("readers", "vehicle")


def test_a_second_role_adds_its_extra_to_the_shared_venv():
    machine = installed(fresh_pi(), plan_install(Role.KIOSK, CONFIG, KIOSK, SOURCE, fresh_pi()))
    steps = plan_install(Role.VEHICLE, b"", RoleOptions(), SOURCE, machine)
    assert next(s for s in steps if isinstance(s, InstallDistribution)).extras == ("kiosk", "vehicle")
    assert not any(isinstance(s, CreateVenv) for s in steps)


def test_an_existing_user_is_added_to_the_groups_it_lacks():
    state = fresh_pi(users=frozenset({"root", "depotclock-vehicle"}))
    steps = plan_install(Role.VEHICLE, b"", RoleOptions(), SOURCE, state)
    assert AddToGroups("depotclock-vehicle", ("spi", "gpio", "input")) in steps


def test_the_hub_migrates_its_database_before_its_units_start():
    steps = plan_install(Role.HUB, b"", RoleOptions(), SOURCE, fresh_pi(groups={}))
    kinds = [type(s) for s in steps]
    assert kinds.index(RunAs) < kinds.index(EnableUnits)
    assert steps[kinds.index(RunAs)].argv[-1] == "upgrade"
    assert steps[-1] == EnableUnits(NEEDS[Role.HUB].units)
    written = {s.path.name for s in steps if isinstance(s, WriteFile)}
    assert {"depotclock-hub-ingest@.service", "depotclock-hub-notify.timer", "depotclock-hub-notify.service"} <= written
    assert "depotclock-hub-notify.service" not in steps[-1].units  # its timer starts it


def test_refused_when_not_root():
    with pytest.raises(InstallRefused, match="as root"):
        plan_install(Role.KIOSK, CONFIG, KIOSK, SOURCE, fresh_pi(is_root=False))


@pytest.mark.parametrize("role", [Role.KIOSK, Role.VEHICLE])
def test_refused_when_a_device_group_is_missing(role):
    groups = {name: frozenset() for name in ("gpio", "video")}
    with pytest.raises(InstallRefused, match=r"group\(s\) input, spi do not exist"):
        plan_install(role, CONFIG, RoleOptions(), SOURCE, fresh_pi(groups=groups))


def test_uninstall_keeps_config_and_journal_unless_purged():
    machine = installed(fresh_pi(), plan_install(Role.KIOSK, CONFIG, KIOSK, SOURCE, fresh_pi()))
    machine.files[PurePosixPath("/var/lib/depotclock-kiosk")] = FileState(None, 0o750, "depotclock-kiosk", "depotclock-kiosk")
    steps = plan_uninstall(Role.KIOSK, machine, purge=False)
    assert steps[0] == DisableUnits(("depotclock-kiosk.service", SCREEN_UNIT))
    assert {s.name for s in steps if isinstance(s, RemoveUser)} == {"depotclock-kiosk", "depotclock-screen"}
    removed = {s.path for s in steps if isinstance(s, Remove)}
    assert PurePosixPath("/opt/depotclock") in removed
    assert not removed & {PurePosixPath("/etc/depotclock/kiosk.toml"), PurePosixPath("/var/lib/depotclock-kiosk")}
    purged = {s.path for s in plan_uninstall(Role.KIOSK, machine, purge=True) if isinstance(s, Remove)}
    assert {PurePosixPath("/etc/depotclock/kiosk.toml"), PurePosixPath("/var/lib/depotclock-kiosk")} <= purged


def test_uninstall_keeps_the_venv_another_role_uses():
    kiosk = installed(fresh_pi(), plan_install(Role.KIOSK, CONFIG, KIOSK, SOURCE, fresh_pi()))
    both = installed(kiosk, plan_install(Role.VEHICLE, b"", RoleOptions(), SOURCE, kiosk))
    assert PurePosixPath("/opt/depotclock") not in {s.path for s in plan_uninstall(Role.KIOSK, both, purge=False)
                                                    if isinstance(s, Remove)}


def test_pip_takes_extras_on_a_path_and_as_a_direct_reference_on_a_url():
    assert requirement("/srv/depotclock", ("kiosk",)) == "/srv/depotclock[kiosk]"
    assert requirement("https://hub.example/dist/depotclock-0.2.0-py3-none-any.whl", ("kiosk", "vehicle")) == (
        "depotclock[kiosk,vehicle] @ https://hub.example/dist/depotclock-0.2.0-py3-none-any.whl")
