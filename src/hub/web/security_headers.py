"""Headers every response carries, so a browser refuses what the pages never do: scripts
(there are none), framing (clickjacking), other sites' styles, images or form targets,
sniffing a download as HTML, and leaking addresses in the Referer. Over TLS, HSTS too."""

from __future__ import annotations

from flask import Flask, Response

# The pages have no script and no <style> element; a few style="" attributes remain.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'", "style-src 'self'", "style-src-attr 'unsafe-inline'", "img-src 'self' data:",
    "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
HSTS = "max-age=31536000"


def init_app(app: Flask, https: bool) -> None:
    headers = HEADERS | ({"Strict-Transport-Security": HSTS} if https else {})

    @app.after_request
    def secure(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
