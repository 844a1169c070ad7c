"""403 and 404 as pages (JSON under /api): out of scope looks the same as not there. Under
/api every other HTTP error (400, 413, 415, 500 ...) is a JSON problem too."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from hub.services.problems import Invalid
from hub.services.scope import NotAllowed, OutOfScope


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    @app.errorhandler(NotAllowed)
    @app.errorhandler(403)
    def forbidden(error):
        message = str(error) if isinstance(error, NotAllowed) else "You may not do this."
        if _wants_json():
            return jsonify(error="forbidden", message=message), 403
        return render_template("error.html", code=403, title="Not allowed", message=message), 403

    @app.errorhandler(OutOfScope)
    @app.errorhandler(404)
    def not_found(error):
        message = str(error) if isinstance(error, OutOfScope) else "There is nothing here."
        if _wants_json():
            return jsonify(error="not_found", message=message), 404
        return render_template("error.html", code=404, title="Not found", message=message), 404

    @app.errorhandler(405)
    def not_allowed_method(error):
        if _wants_json():
            return jsonify(error="method_not_allowed", message=str(error)), 405
        return render_template("error.html", code=405, title="Not here", message=str(error)), 405

    @app.errorhandler(Invalid)
    def bad_address(error: Invalid):
        """A page asked for with a bad parameter (a date that is not one, say)."""
        if _wants_json():
            return jsonify(error="invalid", field=error.field, message=error.message), 422
        return render_template("error.html", code=400, title="Not understood",
                               message=f"{error.field}: {error.message}"), 400

    @app.errorhandler(HTTPException)
    def other_http_error(error: HTTPException):
        if not _wants_json():
            return error
        slug = (error.name or "error").lower().replace(" ", "_")
        return jsonify(error=slug, message=error.description or error.name), error.code

    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return render_template("error.html", code=400, title="Form expired",
                               message=f"{error.description} Reload the page and try again."), 400
