"""The devices on a small board: the kiosk's and the van unit's resident memory, and the
kiosk's time from process start to ready-to-tap, against a bare Python in the same run.

Each device runs as its unit runs it (`depotclock kiosk run`, `depotclock vehicle run`,
with its unit's Environment=: the van's PYTHONOPTIMIZE=2 leaves docstrings out), with
systemd's NOTIFY_SOCKET: ready is its READY=1 (the kiosk has tried its reader and serves
its screen page; the van polls its ignition). Memory is VmRSS once ready and settled
(0.5 s later), for the process and its children. The kiosk reads the simulated reader's
FIFO, the van a mock GPIO pin; the broker and gpsd are unreachable, as on a depot whose
network is late: neither waits on them. Baseline: a bare `python -c` that only says
READY=1, started and measured the same way.

Goals (docs/scaling.md): kiosk under 60 MB, van unit under 40 MB, ready in under 1.5 s.
Measure a device's own figures with the venv the installer makes for it (`--python`, or
`--kiosk-python` and `--vehicle-python`: `depotclock[kiosk]`, `depotclock[vehicle]`): the
test venv holds more that libraries load when present (paho imports dnspython, some 3 MB,
if it is there). The van's first start compiles its .opt-2.pyc where the installer has not
(PYTHONPYCACHEPREFIX keeps them out of a venv not to be written to).

Run: .venv/bin/python bench/device_start.py [--runs N] [--python /opt/depotclock/.venv/bin/python]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from depotclock.appliance.roles import unit_environment
from depotclock.readiness import NotifySocket

BARE = ("import os, socket; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); "
        "s.sendto(b'READY=1', os.environ['NOTIFY_SOCKET']); import time; time.sleep(60)")


def _rss_mb(pid: int) -> float:
    """VmRSS of `pid`, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def start(command: list[str], what: str, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawn to READY=1, and MB resident once settled."""
    notify = NotifySocket()
    begun = time.perf_counter()
    process = subprocess.Popen(command, env={**notify.environment(), **env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        notify.wait_ready(process, what, timeout=30)
        ready = time.perf_counter() - begun
        time.sleep(0.5)  # let start-up threads settle before reading memory
        if process.poll() is not None:
            raise RuntimeError(f"{what} ended: {process.stderr.read().decode() if process.stderr else ''}")
        return ready, _rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(20)
        notify.close()


def _configs(folder: Path) -> tuple[Path, Path]:
    taps = folder / "taps"
    os.mkfifo(taps)
    kiosk = folder / "kiosk.toml"
    kiosk.write_text(
        'kiosk_id = "kiosk-1"\ndepot_id = "north"\nmqtt_url = "mqtt://kiosk-1:pw@127.0.0.1:9"\n'
        f'journal_path = "{folder / "kiosk.db"}"\nscreen_port = 0\n'
        f'[reader]\nfamily = "simulated"\nsimulated_feed = "{taps}"\n'
    )
    vehicle = folder / "vehicle.toml"
    vehicle.write_text(
        'vehicle_id = "van-12"\nmqtt_url = "mqtt://van-12:pw@127.0.0.1:9"\n'
        f'journal_path = "{folder / "van.db"}"\ngpsd_port = 9\n'
    )
    return kiosk, vehicle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="starts of each, the median reported")
    parser.add_argument("--python", default=sys.executable, help="the interpreter of the devices' venv")
    parser.add_argument("--kiosk-python", help="the kiosk's own venv's interpreter (default: --python)")
    parser.add_argument("--vehicle-python", help="the van's own venv's interpreter (default: --python)")
    args = parser.parse_args()
    env = {"GPIOZERO_PIN_FACTORY": "mock"}  # over this environment (NotifySocket passes it on)
    environments = {"bare": env, "kiosk": {**env, **unit_environment("depotclock-kiosk.service")},
                    "vehicle": {**env, **unit_environment("depotclock-vehicle.service")}}
    figures: dict[str, list[tuple[float, float]]] = {"bare": [], "kiosk": [], "vehicle": []}
    with tempfile.TemporaryDirectory() as scratch:
        kiosk_toml, vehicle_toml = _configs(Path(scratch))
        commands = {
            "bare": [args.python, "-c", BARE],
            "kiosk": [args.kiosk_python or args.python, "-m", "depotclock.cli", "kiosk", "run", "--config", str(kiosk_toml)],
            "vehicle": [args.vehicle_python or args.python, "-m", "depotclock.cli", "vehicle", "run",
                        "--config", str(vehicle_toml)],
        }
        for _ in range(args.runs):
            for name, command in commands.items():
                figures[name].append(start(command, name, environments[name]))
    median = {name: (statistics.median(r for r, _ in runs), statistics.median(m for _, m in runs))
              for name, runs in figures.items()}
    for name, (ready, rss) in median.items():
        print(f"{name:8} ready {ready:.3f} s  rss {rss:.1f} MB")
    bare_ready, bare_rss = median["bare"]
    print(
        f"RESULT kiosk_rss_mb={median['kiosk'][1]:.1f} vehicle_rss_mb={median['vehicle'][1]:.1f} "
        f"kiosk_ready_s={median['kiosk'][0]:.2f} vehicle_ready_s={median['vehicle'][0]:.2f} "
        f"baseline_rss_mb={bare_rss:.1f} baseline_ready_s={bare_ready:.3f} "
        f"kiosk_rss_ratio={median['kiosk'][1] / bare_rss:.1f} kiosk_ready_ratio={median['kiosk'][0] / bare_ready:.1f}"
    )


if __name__ == "__main__":
    main()
