"""Serving the app with gunicorn (several worker processes) from `depotclock hub serve
--workers N`, without a config file of gunicorn's own."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from hub.settings import HubSettings


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
    HubServer(settings, {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                         "accesslog": None, "worker_class": "gthread", "timeout": 60}).run()
