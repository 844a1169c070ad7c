"""The kiosk's full-screen page, served by the kiosk itself and updated live.

`ScreenState` holds what the page shows; the page follows it over Server-Sent Events and
sends touch answers (and a technician id with PIN, for a forgotten badge) back with a
per-process token (CSRF: only the page we served can answer). Flask serves it on the loopback interface for the kiosk's own browser.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask, Response, abort, jsonify, render_template, request
from werkzeug.serving import make_server

from depotclock.punch_states import Option
from depotclock.wire.topics import DEVICE_ID_PATTERN
from kiosk.translations import catalog

HEARTBEAT_S = 15.0
_TECH_ID = re.compile(DEVICE_ID_PATTERN)
_PIN = re.compile(r"^[0-9]{1,16}$")


class ScreenState:
    """What the screen shows, versioned so waiting pages wake on every change."""

    def __init__(self, **initial: Any):
        self._state: dict[str, Any] = {
            "message": "", "tone": "idle", "options": [], "online": False,
            "backlog": 0, "reader_ok": True, "reader_error": None, "roster_size": 0,
            "depot_name": "", "countdown": None,
            **initial,
        }
        self.version = 0
        self._changed = threading.Condition()

    def update(self, **fields: Any) -> None:
        with self._changed:
            if all(self._state.get(k) == v for k, v in fields.items()):
                return
            self._state.update(fields)
            self.version += 1
            self._changed.notify_all()

    def snapshot(self) -> dict[str, Any]:
        with self._changed:
            return {**self._state, "version": self.version}

    def wait_newer(self, version: int, timeout: float) -> dict[str, Any] | None:
        with self._changed:
            self._changed.wait_for(lambda: self.version != version, timeout)
            return None if self.version == version else {**self._state, "version": self.version}


def create_screen_app(state: ScreenState, on_choose: Callable[[Option], None], zone: str,
                      on_pin: Callable[[str, str], None] | None = None, language: str = "en") -> Flask:
    """`zone`: the depot's time zone, for the clock in the corner; `on_pin(tech, pin)`:
    a technician id and PIN typed on the screen (None: the page offers no PIN); `language`:
    the page's own words (kiosk.translations); what is said after a tap comes in `state`."""
    app = Flask(__name__)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_translations(catalog(language), newstyle=True)  # type: ignore[attr-defined]
    token = secrets.token_urlsafe(24)

    @app.get("/")
    def page() -> str:
        return render_template("screen.html", token=token, zone=zone, language=language, state=state.snapshot(),
                               pins=on_pin is not None)

    @app.get("/state")
    def current() -> Response:
        return jsonify(state.snapshot())

    @app.get("/events")
    def events() -> Response:
        def stream() -> Iterator[str]:
            snapshot = state.snapshot()
            yield f"data: {json.dumps(snapshot)}\n\n"
            version = snapshot["version"]
            while True:
                newer = state.wait_newer(version, HEARTBEAT_S)
                if newer is None:
                    yield ": still here\n\n"
                    continue
                version = newer["version"]
                yield f"data: {json.dumps(newer)}\n\n"

        return Response(stream(), mimetype="text/event-stream", headers={"Cache-Control": "no-store"})

    def own_page() -> None:
        if not secrets.compare_digest(request.headers.get("X-Screen-Token", ""), token):
            abort(403, "this answer did not come from the kiosk's own page")

    @app.post("/pin")
    def pin() -> Response | tuple[Response, int]:
        own_page()
        if on_pin is None:
            abort(404)
        body = request.get_json(silent=True) or {}
        tech, entered = body.get("tech"), body.get("pin")
        if not isinstance(tech, str) or not _TECH_ID.match(tech):
            return jsonify(error="tech must be a technician id (letters, digits, _ . -; up to 64)", field="tech"), 400
        if not isinstance(entered, str) or not _PIN.match(entered):
            return jsonify(error="pin must be digits (up to 16)", field="pin"), 400
        on_pin(tech, entered)
        return jsonify(ok=True)

    @app.post("/choose")
    def choose() -> Response | tuple[Response, int]:
        own_page()
        option = (request.get_json(silent=True) or {}).get("option")
        try:
            if not isinstance(option, str):
                raise ValueError(option)  # what Option() says of a non-text value too
            on_choose(Option(option))
        except ValueError:
            return jsonify(error=f"option must be one of {[o.value for o in Option]}"), 400
        return jsonify(ok=True)

    return app


class ScreenServer:
    """The page on `host:port` in a background thread; port 0 picks a free one."""

    def __init__(self, app: Flask, host: str, port: int):
        self._server = make_server(host, port, app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name="screen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
