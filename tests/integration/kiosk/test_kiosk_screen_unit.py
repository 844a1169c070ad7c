"""depotclock-kiosk-screen.service's command, as the unit runs it, under cage's headless
backend: the browser shows the kiosk's page full-screen (the page's viewport is the
output's size, and grim's screenshot, kept with the other screenshots, is the page's
background in all four corners), and cage ends when the browser dies, so Restart=always
brings both back.

cage 0.1.4 (Debian bookworm's) hands a full-screen window's buffer straight to the output
(direct scan-out) once the buffer is the output's size. A screenshot makes it compose a
frame instead, and wlroots 0.15 then repaints only what changed since the last frame when
the buffer it draws into is the newest one (buffer age 1), forgetting what changed during
scan-out: the screenshot is the last composed frame, Chromium's first, small one (532x129
here) over black, although the page is full-screen all along. So, while the screenshot is
taken, the test makes the page repaint every frame, and cage composes all of it. (On a
real display Chromium's software-drawn buffers cannot be scanned out: cage composes every
frame.) Chromium's DevTools port, added to the unit's command here only, lets the test ask
the page."""

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
from playwright.sync_api import Browser, Page

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


# Every frame repaints the whole page (an opacity change too small to see), until stopped.
REPAINT = """() => { window.repainting = true; window.repainted = 0;
  const step = () => { window.repainted += 1; document.documentElement.style.opacity = window.repainted % 2 ? '0.999' : '';
                       if (window.repainting) requestAnimationFrame(step); else document.documentElement.style.opacity = ''; };
  requestAnimationFrame(step); }"""


def _corners(ppm: bytes) -> tuple[tuple[int, int], list[tuple[int, ...]]]:
    """A binary PPM's size, and its four corner pixels (RGB)."""
    magic, width, height, _, pixels = ppm.split(maxsplit=4)
    assert magic == b"P6"
    w, h = int(width), int(height)
    return (w, h), [tuple(pixels[(y * w + x) * 3:(y * w + x) * 3 + 3]) for x, y in
                    ((0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1))]


def _kiosk_page(browser: Browser, debug_port: int, url: str) -> Page | None:
    """The screen browser's tab showing `url`, loaded; None while it is not there yet."""
    try:
        screen = browser.browser_type.connect_over_cdp(f"http://127.0.0.1:{debug_port}")
    except Exception:
        return None  # not listening yet
    for page in (page for context in screen.contexts for page in context.pages):
        if page.url == url and page.evaluate("document.readyState") == "complete":
            return page
    screen.close()
    return None


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
def test_the_screen_unit_shows_the_kiosk_page_full_screen_and_ends_with_the_browser(kiosk_page, browser, artifacts):
    runtime = Path(tempfile.mkdtemp(prefix="screen-"))  # pytest's own folders are root's alone
    os.chown(runtime, 65534, 65534)
    env = {"PATH": os.environ["PATH"], "HOME": str(runtime), "XDG_RUNTIME_DIR": str(runtime), **HEADLESS}
    debug_port = free_port()
    cage = subprocess.Popen([*NOBODY, *_exec_start(kiosk_page, runtime), f"--remote-debugging-port={debug_port}"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wayland = {**env, "WAYLAND_DISPLAY": "wayland-0"}
    try:
        assert eventually(lambda: (runtime / "wayland-0").exists(), timeout=30), "cage made no display"
        found: list[Page] = []

        def loaded() -> bool:
            page = _kiosk_page(browser, debug_port, f"http://127.0.0.1:{kiosk_page}/")
            found.extend([page] if page else [])
            return page is not None

        assert eventually(loaded, timeout=60, every=1), "the browser did not load the kiosk's page"
        page = found[0]
        viewport = page.evaluate("[innerWidth * devicePixelRatio, innerHeight * devicePixelRatio]")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(17, 17, 17)"  # the page's own (screen.html), not the compositor's black

        page.evaluate(REPAINT)
        assert eventually(lambda: page.evaluate("window.repainted") > 10, timeout=10), "the page does not repaint"
        screenshot = runtime / "screen.ppm"
        shots: list[tuple[tuple[int, int], list[tuple[int, ...]]]] = []

        def page_in_every_corner() -> bool:
            # -c: with the cursor, were there one to draw
            subprocess.run([*NOBODY, "grim", "-c", "-t", "ppm", str(screenshot)], env=wayland, check=True)
            shots.append(_corners(screenshot.read_bytes()))
            return all(all(abs(c - 17) <= 2 for c in corner) for corner in shots[-1][1])

        full = eventually(page_in_every_corner, timeout=15, every=0.5)
        subprocess.run([*NOBODY, "grim", "-c", str(runtime / "screen.png")], env=wayland, check=True)
        shutil.copy(runtime / "screen.png", artifacts / "kiosk-screen.png")
        page.evaluate("() => { window.repainting = false; }")
        connection = page.context.browser
        assert connection is not None
        connection.close()  # the DevTools connection only: the browser goes on
        size, corners = shots[-1]
        assert size == (1280, 720), f"cage's headless output is 1280x720, the screenshot {size}"
        assert viewport == list(size), f"the page is {viewport}, the display {size}"
        assert full, f"the page does not reach every corner of the display ({corners}): {artifacts / 'kiosk-screen.png'}"

        # cage's child: the browser's main process (setpriv execs cage, which starts it)
        browser_process = subprocess.run(["pgrep", "-P", str(cage.pid)], capture_output=True, text=True)
        os.kill(int(browser_process.stdout.split()[0]), signal.SIGKILL)
        assert eventually(lambda: cage.poll() is not None, timeout=30), "cage outlived its browser"
    finally:
        if cage.poll() is None:
            os.killpg(cage.pid, signal.SIGTERM)
        cage.wait(20)
        shutil.rmtree(runtime, ignore_errors=True)
