"""Text that a spreadsheet would run as a formula (CWE-1236, OWASP "CSV Injection"): a
cell starting with =, +, -, @, a tab or a carriage return.

Files people open (DepotClock's CSV, the reports) neutralise such a cell by putting a
single quote before it, as OWASP advises, so it shows as text; import files cannot change
what they carry (a payroll system matches names exactly), so such names are refused when
they are entered and an export that would carry one is refused.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutral(text: str) -> str:
    """`text` as a cell a spreadsheet shows as text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def text_problem(text: str) -> str | None:
    """Why `text` cannot be a name in a payroll file, or None: it would run as a formula
    where the file is opened, or it holds a control character (a tab or line break ends
    an IIF field or line)."""
    if formula_like(text):
        return (f"{text!r} starts with {text[0]!r}, which a spreadsheet runs as a formula "
                "(start it with a letter or digit)")
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        return f"{text!r} holds a tab, line break or other control character"
    return None
