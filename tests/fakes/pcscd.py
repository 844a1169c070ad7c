"""A pcscd of our own with the vpcd virtual reader, and cards to put on it.

pcscd serves one fixed socket (/run/pcscd/pcscd.comm), so one runs per machine: the
`pcscd` fixture waits its turn (a lock file, across pytest-xdist workers and other runs
on the machine), and a PcscdProcess refuses to start beside another. It reads a reader.conf of ours (`-c`) that puts
vpcd on a free port pair (vpcd opens two slots, "Virtual PCD 00 00" on the port and
"00 01" on the next). Stopping and starting it again unplugs and replugs the reader.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Self

import pytest

from tests.fakes.virtual_card import VirtualCard

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
PID_FILE = Path("/run/pcscd/pcscd.pid")
READER_NAME = "Virtual PCD 00 00"
TURN_LOCK = Path(tempfile.gettempdir()) / "depotclock-tests-pcscd.lock"
SETUP_HINT = "run scripts/setup.sh (it installs pcscd and vsmartcard-vpcd)"


class PcscdError(Exception):
    """pcscd could not be started as the tests need it."""


def _pcscd_command() -> str:
    """Path of the pcscd binary (often in /usr/sbin, off a user's PATH)."""
    path = shutil.which("pcscd", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")
    if path is None:
        raise PcscdError(f"pcscd is not installed: {SETUP_HINT}")
    if not VPCD_DRIVER.exists():
        raise PcscdError(f"the vpcd driver {VPCD_DRIVER} is missing: {SETUP_HINT}")
    return path


def _free_port_pair() -> int:
    for _ in range(50):
        with socket.socket() as first, socket.socket() as second:
            first.bind(("", 0))
            port = first.getsockname()[1]
            try:
                second.bind(("", port + 1))
            except OSError:
                continue
            return port
    raise PcscdError("no two free TCP ports in a row for vpcd")


def _running_pcscd() -> int | None:
    try:
        pid = int(PID_FILE.read_bytes().strip(b"\0\n "))
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


class PcscdProcess:
    """pcscd in the foreground with only the vpcd reader; stop and start it at will."""

    def __init__(self, workdir: Path):
        self.port = _free_port_pair()
        workdir.mkdir(parents=True, exist_ok=True)
        self.conf = workdir / "reader.conf"
        self.conf.write_text(
            'FRIENDLYNAME "Virtual PCD"\n'
            f"DEVICENAME /dev/null:{self.port}\n"  # /dev/null: vpcd waits for the card
            f"LIBPATH {VPCD_DRIVER}\n"
            f"CHANNELID {self.port}\n"
        )
        self.log = workdir / "pcscd.log"
        self.command = [_pcscd_command(), "--foreground", "--config", str(self.conf)]
        self.cards: list[VirtualCard] = []
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 5.0) -> Self:
        """Start pcscd and return once pyscard lists the virtual reader."""
        other = _running_pcscd()
        if other is not None:
            raise PcscdError(
                f"another pcscd (pid {other}) is running; the tests start their own: "
                "stop it (systemctl disable --now pcscd.socket pcscd)"
            )
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while READER_NAME not in _reader_names():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log = self.log.read_text()[-2000:]
                raise PcscdError(f"pcscd did not list {READER_NAME!r}: {log}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """SIGTERM: pcscd closes its readers and its socket; the reader is gone."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(5)
        self._process = None

    def close(self) -> None:
        """Take every card away and stop pcscd."""
        for card in self.cards:
            card.remove()
        self.stop()

    def card(self, uid: bytes, slot: int = 0, **kwargs: object) -> VirtualCard:
        """A card for vpcd's slot 0 ("Virtual PCD 00 00") or 1, not on it yet."""
        card = VirtualCard(uid, self.port + slot, **kwargs)
        self.cards.append(card)
        return card


def _reader_names() -> list[str]:
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return []
    try:
        hresult, names = scard.SCardListReaders(context, [])
        return names if hresult == scard.SCARD_S_SUCCESS else []
    finally:
        scard.SCardReleaseContext(context)


@pytest.fixture
def pcscd(tmp_path):
    """Our own pcscd with the vpcd reader, the machine's only one while the test runs;
    errors, never skips, when it cannot run."""
    with TURN_LOCK.open("w") as turn:
        fcntl.flock(turn, fcntl.LOCK_EX)  # released when the file closes
        process = PcscdProcess(tmp_path / "pcscd").start()
        try:
            yield process
        finally:
            process.close()
