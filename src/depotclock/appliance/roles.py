"""What each role needs on its machine: Debian packages, a system user and its groups, the
units it runs, where its config lives. Read by the installer's plan; nothing here acts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import PurePosixPath

VENV = PurePosixPath("/opt/depotclock/.venv")
CONFIG_DIR = PurePosixPath("/etc/depotclock")
UNIT_DIR = PurePosixPath("/etc/systemd/system")
# Which extras the venv holds, written after each pip install (several roles may share it).
EXTRAS_FILE = VENV / "depotclock-extras"

# Building the readers' libraries where no wheel is published (evdev, spidev, RPi.GPIO,
# pyscard on some boards): a compiler, Python's headers, pyscard's swig and PC/SC headers.
READER_BUILD = ("gcc", "python3-dev", "swig", "libpcsclite-dev")
PCSC = ("pcscd", "libpcsclite1")
# The kiosk's screen: a Wayland kiosk compositor, the browser, and a font for its page.
SCREEN = ("cage", "chromium", "fonts-dejavu-core")
SCREEN_USER = "depotclock-screen"
SCREEN_UNIT = "depotclock-kiosk-screen.service"
SCREEN_PAM = PurePosixPath("/etc/pam.d/depotclock-screen")


class Role(StrEnum):
    KIOSK = "kiosk"
    VEHICLE = "vehicle"
    HUB = "hub"


@dataclass(frozen=True)
class RoleNeeds:
    """One role's share of the machine."""

    user: str
    home: PurePosixPath  # also its state directory (the units' StateDirectory=)
    device_groups: tuple[str, ...]  # must exist already: the board's udev rules own them
    packages: tuple[str, ...]
    units: tuple[str, ...]  # installed and enabled; the first is the role's main process
    extra: str  # of the depotclock distribution
    timer_units: tuple[str, ...] = ()  # installed, not enabled: a timer of `units` starts them

    @property
    def config(self) -> PurePosixPath:
        return CONFIG_DIR / f"{self.user.removeprefix('depotclock-')}.toml"


NEEDS = {
    Role.KIOSK: RoleNeeds(
        user="depotclock-kiosk", home=PurePosixPath("/var/lib/depotclock-kiosk"),
        device_groups=("spi", "gpio", "input"), packages=("python3-venv", *PCSC, *READER_BUILD),
        units=("depotclock-kiosk.service",), extra="kiosk",
    ),
    Role.VEHICLE: RoleNeeds(
        user="depotclock-vehicle", home=PurePosixPath("/var/lib/depotclock-vehicle"),
        device_groups=("spi", "gpio", "input"), packages=("python3-venv", "gpsd"),
        units=("depotclock-vehicle.service",), extra="vehicle",
    ),
    Role.HUB: RoleNeeds(
        user="depotclock-hub", home=PurePosixPath("/var/lib/depotclock"),
        device_groups=(), packages=("python3-venv", "mosquitto"),
        units=("depotclock-hub-web.service", "depotclock-hub-ingest@1.service", "depotclock-hub-ingest@2.service",
               "depotclock-hub-notify.timer"),
        extra="hub", timer_units=("depotclock-hub-notify.service",),
    ),
}
# The screen user draws on the display (video, render) and reads the touch screen (input).
SCREEN_GROUPS = ("video", "input")
SCREEN_OPTIONAL_GROUPS = ("render",)  # made by udev where a GPU has a render node


def unit_text(name: str) -> str:
    """A unit file as shipped (a template for `name@N.service`)."""
    return resources.files("depotclock.appliance").joinpath("units").joinpath(unit_file(name)).read_text()


def unit_environment(name: str) -> dict[str, str]:
    """The Environment= a unit sets for its interpreter, less the DEPOTCLOCK_* settings
    (another config's to give: a test's, a benchmark's)."""
    pairs = (line.removeprefix("Environment=").split("=", 1) for line in unit_text(name).splitlines()
             if line.startswith("Environment="))
    return {variable: value for variable, value in pairs if not variable.startswith("DEPOTCLOCK_")}


def unit_file(name: str) -> str:
    """The file a unit is installed as: a template's instance is installed as its template."""
    return name.split("@")[0] + "@.service" if "@" in name else name


def pam_text() -> str:
    return resources.files("depotclock.appliance").joinpath("units").joinpath("depotclock-screen.pam").read_text()
