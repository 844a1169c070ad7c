"""The hub's web app: `create_app(settings)` wires settings, the database lifecycle,
login and scoping, CSRF and one blueprint per area; nothing happens at import time."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from hub.settings import DEFAULT_CONFIG, HubSettings


def _load_settings() -> HubSettings:
    from depotclock.config import load_settings

    path = Path(DEFAULT_CONFIG)
    return load_settings(HubSettings, path if path.exists() else None)


def create_app(settings: HubSettings | None = None, test_config: dict | None = None) -> Flask:
    """`settings`: the hub's (default: its config file and DEPOTCLOCK_* variables).
    `test_config`: Flask config overrides, e.g. a fixed CLOCK for tests."""
    from hub.web import (
        account,
        admin,
        api,
        auth,
        badges,
        board,
        db,
        errors,
        exports,
        field_errors,
        flagged_punches,
        health,
        language,
        legs,
        login_throttle,
        me,
        metrics,
        my_corrections,
        my_hours,
        payroll,
        queue,
        reports,
        security_headers,
        sheets,
        team,
        timers,
        vehicles,
        views,
        work_orders,
    )

    settings = settings or _load_settings()
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=settings.web_secret.get_secret_value() if settings.web_secret else secrets.token_hex(32),
        HUB_SETTINGS=settings,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),  # the longest a login lasts
        SESSION_IDLE_MINUTES=60,  # signed out after this long without a request
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.web_https,  # behind a TLS proxy: never sent in clear
        WTF_CSRF_TIME_LIMIT=None,  # the session's own expiry bounds the token
        CLOCK=lambda: datetime.now(timezone.utc),
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
        # the board and timeline, shared by screens polling the same depot
        WALL_CACHE_SECONDS=settings.web_wall_cache_s,
    )
    if test_config:
        app.config.update(test_config)
    if settings.web_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's documented way to wrap its WSGI app
            app.wsgi_app, x_for=settings.web_proxies, x_proto=settings.web_proxies)
    db.init_app(app, settings.database_url)
    csrf = CSRFProtect(app)
    csrf.exempt(api.bp)  # the API authenticates each request with a bearer token, no cookie
    auth.init_app(app)
    language.init_app(app)
    login_throttle.init_app(app)
    errors.init_app(app)
    security_headers.init_app(app, settings.web_https, settings.map_tiles)
    views.init_app(app)
    field_errors.init_app(app)
    for module in (auth, account, me, timers, my_corrections, my_hours, board, sheets, flagged_punches, queue, team, legs,
                   work_orders, vehicles, badges, payroll, exports, reports, admin, api, health, metrics):
        app.register_blueprint(module.bp)
    return app
