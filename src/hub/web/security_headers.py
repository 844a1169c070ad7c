"""Headers every response carries, so a browser refuses what the pages never do: scripts
from anywhere but the hub (the maps', the live board's and the technician's app's), requests
to anywhere but the hub (the live board polls it, the app sends punches), an app manifest
but the hub's, framing (clickjacking), other sites'
styles, images (but the map tiles) or form targets, sniffing a download as HTML, and
leaking addresses in the Referer. Over TLS, HSTS too."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response

HEADERS = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
HSTS = "max-age=31536000"


def content_security_policy(map_tiles: str) -> str:
    """No inline script and no <style> element (a few style="" attributes remain); images
    from the hub and the map tiles' server; scripts fetch only from the hub, and the
    technician's app's manifest comes from it."""
    tiles = urlsplit(map_tiles)
    return "; ".join((
        "default-src 'none'", "script-src 'self'", "connect-src 'self'", "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        f"img-src 'self' data: {tiles.scheme}://{tiles.netloc}", "form-action 'self'", "frame-ancestors 'none'",
        "base-uri 'none'", "manifest-src 'self'",
    ))


def init_app(app: Flask, https: bool, map_tiles: str) -> None:
    headers = HEADERS | {"Content-Security-Policy": content_security_policy(map_tiles)} | (
        {"Strict-Transport-Security": HSTS} if https else {})

    @app.after_request
    def secure(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
