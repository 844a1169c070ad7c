"""Serving the app with gunicorn (several worker processes) from `depotclock hub serve
--workers N`, without a config file of gunicorn's own; under systemd, the master reports
ready and pings the watchdog while its workers answer (`serving_probe`)."""

from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication

from depotclock.systemd_notify import SystemdNotifier
from hub.settings import HubSettings
from hub.web.serving_probe import ServingProbe


class HubServer(BaseApplication):
    def __init__(self, settings: HubSettings, options: dict):
        self.settings, self.options = settings, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from hub.web import create_app

        return create_app(self.settings)


def run_gunicorn(settings: HubSettings, host: str, port: int, workers: int, threads: int = 4) -> None:
    probe = ServingProbe(SystemdNotifier.from_environment(), host, port)
    os.environ.pop("NOTIFY_SOCKET", None)  # gunicorn's own READY=1 comes before any worker serves
    HubServer(settings, {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                         "accesslog": None, "worker_class": "gthread", "timeout": 60,
                         "when_ready": probe.start, "on_exit": probe.stop}).run()
