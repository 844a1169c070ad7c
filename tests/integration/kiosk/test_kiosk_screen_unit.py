"""depotclock-kiosk-screen.service's command, as the unit runs it, under cage's headless
backend: the browser shows the kiosk's page on the display (grim's screenshot, kept with
the other screenshots), and cage ends when the browser dies, so Restart=always brings both
back. Whether the page fills the display is not checked: on this headless backend with the
software renderer (no GPU here) the outputs fail wlroots' mode test, and Chromium's window
comes up at a size of its own or is painted only where it repaints."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from depotclock.appliance.roles import unit_text
from depotclock.mosquitto import free_port
from depotclock.readiness import NotifySocket
from tests.waiting import eventually

UNIT = "depotclock-kiosk-screen.service"
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]  # cage refuses to run as root
HEADLESS = {"WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman"}


def _exec_start(port: int, state: Path) -> list[str]:
    text = unit_text(UNIT).replace("\\\n", " ")
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    line = line.removeprefix("ExecStart=").replace("${STATE_DIRECTORY}", str(state))
    return shlex.split(line.replace("http://127.0.0.1:8080/", f"http://127.0.0.1:{port}/"))


def _lit(ppm: bytes, xs: tuple[float, float], ys: tuple[float, float]) -> bool:
    """Whether a binary PPM has pixels that are not black in the region given as fractions
    of its width and height."""
    magic, width, height, _, pixels = ppm.split(maxsplit=4)
    assert magic == b"P6"
    w, h = int(width), int(height)
    region = [pixels[(y * w + x) * 3:(y * w + x) * 3 + 3]
              for y in range(int(h * ys[0]), int(h * ys[1]), 2) for x in range(int(w * xs[0]), int(w * xs[1]), 2)]
    return any(pixel != b"\0\0\0" for pixel in region)


@pytest.fixture
def kiosk_page(tmp_path):
    """A kiosk process serving its screen page (simulated reader, no broker); its port."""
    port = free_port()
    os.mkfifo(tmp_path / "taps")
    config = tmp_path / "kiosk.toml"
    config.write_text(
        'kiosk_id = "kiosk-1"\ndepot_id = "north"\nmqtt_url = "mqtt://kiosk-1:pw@127.0.0.1:9"\n'
        f'journal_path = "{tmp_path / "kiosk.db"}"\nscreen_port = {port}\n'
        f'[reader]\nfamily = "simulated"\nsimulated_feed = "{tmp_path / "taps"}"\n'
    )
    notify = NotifySocket()
    process = subprocess.Popen([sys.executable, "-m", "depotclock.cli", "kiosk", "run", "--config", str(config)],
                               env=notify.environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        notify.wait_ready(process, "the kiosk")
        yield port
    finally:
        process.terminate()
        process.wait(20)
        notify.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="runs cage as another user")
def test_the_screen_unit_shows_the_kiosk_page_and_ends_with_the_browser(kiosk_page, artifacts):
    runtime = Path(tempfile.mkdtemp(prefix="screen-"))  # pytest's own folders are root's alone
    os.chown(runtime, 65534, 65534)
    env = {"PATH": os.environ["PATH"], "HOME": str(runtime), "XDG_RUNTIME_DIR": str(runtime), **HEADLESS}
    cage = subprocess.Popen([*NOBODY, *_exec_start(kiosk_page, runtime)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert eventually(lambda: (runtime / "wayland-0").exists(), timeout=30), "cage made no display"
        screenshot = runtime / "screen.ppm"

        def lit(xs: tuple[float, float], ys: tuple[float, float]) -> bool:
            grim = subprocess.run([*NOBODY, "grim", "-t", "ppm", str(screenshot)], env={**env, "WAYLAND_DISPLAY": "wayland-0"})
            return grim.returncode == 0 and _lit(screenshot.read_bytes(), xs, ys)

        # The page's header (its name, drawn light on dark) at the display's top left.
        shown = eventually(lambda: lit((0.0, 0.2), (0.0, 0.07)), timeout=60, every=1)
        subprocess.run([*NOBODY, "grim", str(runtime / "screen.png")], env={**env, "WAYLAND_DISPLAY": "wayland-0"})
        shutil.copy(runtime / "screen.png", artifacts / "kiosk-screen.png")
        assert shown, f"the kiosk's page is not on the display: {artifacts / 'kiosk-screen.png'}"

        # cage's child: the browser's main process (setpriv execs cage, which starts it)
        browser = subprocess.run(["pgrep", "-P", str(cage.pid)], capture_output=True, text=True)
        os.kill(int(browser.stdout.split()[0]), signal.SIGKILL)
        assert eventually(lambda: cage.poll() is not None, timeout=30), "cage outlived its browser"
    finally:
        if cage.poll() is None:
            os.killpg(cage.pid, signal.SIGTERM)
        cage.wait(20)
        shutil.rmtree(runtime, ignore_errors=True)
