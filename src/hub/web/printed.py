"""Timesheets printed for sign-off: a page's template rendered to PDF by WeasyPrint and
served as a download whose file name is safe to save whatever a technician is called."""

from __future__ import annotations

import re
import unicodedata

from flask import Response, render_template

FILENAME_PARTS = 80  # characters of a name kept in a file name


def safe_filename(*parts: str, suffix: str = ".pdf") -> str:
    """`parts` joined by '-' as a file name any system saves and no header breaks: accents
    dropped, anything but letters, digits, '_' and '-' (quotes, slashes, dots, line ends)
    made '-', each part bounded."""
    cleaned = []
    for part in parts:
        ascii_only = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode()
        word = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_only).strip("-")[:FILENAME_PARTS]
        if word:
            cleaned.append(word)
    return ("-".join(cleaned) or "timesheet") + suffix


def pdf_download(template: str, filename: str, **context) -> Response:
    """`template` rendered with `context` as a PDF attachment. WeasyPrint is imported on
    first use: it is slow to import, and most workers never print."""
    from weasyprint import HTML

    html = render_template(template, **context)
    document = HTML(string=html).write_pdf()
    response = Response(document, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
