"""The hub's gettext catalogs (`<language>/LC_MESSAGES/messages.po`, compiled to `.mo`
by scripts/translations.sh and committed, so a clean clone and a wheel both have them):
the technician's pages and the emails in each of `LANGUAGES`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

DIRECTORY = Path(__file__).parent
LANGUAGES = ("en", "es")  # English is the source language: its catalog is the msgids themselves
DEFAULT = "en"
NAMES = {"en": "English", "es": "Español"}  # each language in its own words, for choosing


@cache
def catalog(language: str) -> NullTranslations:
    """The translations into `language` (English for a language we do not have)."""
    return Translations.load(DIRECTORY, [language if language in LANGUAGES else DEFAULT])
