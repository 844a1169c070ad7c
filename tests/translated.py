"""Whether a page or message reads in another language: its text compared with the same
page in English. Text that reads the same in both and has words in it (the data allowed
aside: names, ids, zones) was left out of a gettext call. What a page's script shows is
checked too: the labels it puts in place (data-label) and its messages (data-words, JSON)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-label")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.nodes: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.nodes += [value.strip() for name, value in attrs if name in SHOWN_ATTRIBUTES and value and value.strip()]
        self.nodes += [said for name, value in attrs if name == "data-words" and value
                       for said in json.loads(value).values()]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.nodes.append(" ".join(data.split()))


def shown_text(html: str) -> list[str]:
    """The text a reader sees: text nodes outside scripts and styles, and shown attributes."""
    parser = _Text()
    parser.feed(html)
    return parser.nodes


def untranslated(english: str, other: str, data: tuple[str, ...] = ()) -> list[str]:
    """The text of `other` that is the same in `english` and has a word of two letters or
    more once the `data` (names, ids, zones) is taken out."""
    return untranslated_lines(shown_text(english), shown_text(other), data)


def untranslated_lines(english: list[str], other: list[str], data: tuple[str, ...] = ()) -> list[str]:
    """The same for lines of text (a printed page's, as pdftotext reads it)."""
    same = set(english)
    left = []
    for node in other:
        rest = node
        for allowed in sorted(data, key=len, reverse=True):
            rest = rest.replace(allowed, " ")
        if node in same and re.search(r"[^\W\d_]{2,}", rest):
            left.append(node)
    return left
