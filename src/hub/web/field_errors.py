"""Errors tied to the fields they are about, and announced: each error message has an id
that its field names in aria-describedby, and the page lists every error it shows in a
summary at the top of <main> with role=alert (WCAG 3.3.1), so a screen reader reads out
what was refused and a sighted user on a long page sees it without scrolling."""

from __future__ import annotations

import re

from flask import Flask, g


def error_id(name: str, scope: str | int = "") -> str:
    """The id of the message about field `name` (of the form `scope`, where one page has
    several forms with the same fields)."""
    return "error-" + re.sub(r"[^A-Za-z0-9_-]+", "-", f"{scope}-{name}" if scope else name)


def announce(name: str, message: str, scope: str | int = "") -> str:
    """Note `message` for the page's error summary; its id."""
    ident = error_id(name, scope)
    g.setdefault("field_errors", []).append((ident, str(message)))
    return ident


def announced() -> list[tuple[str, str]]:
    """(id, message) of every error the page has shown so far."""
    return g.get("field_errors", [])


def init_app(app: Flask) -> None:
    app.add_template_global(error_id)
    app.add_template_global(announce)
    app.add_template_global(announced)
