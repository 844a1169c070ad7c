"""The kiosk's gettext catalogs (`<language>/LC_MESSAGES/messages.po`, compiled to `.mo`
by scripts/translations.sh and committed): what the screen says, in each of `LANGUAGES`.
The kiosk's own, not the hub's: devices never import the hub."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

DIRECTORY = Path(__file__).parent
LANGUAGES = ("en", "es")  # English is the source language: its catalog is the msgids themselves
DEFAULT = "en"


@cache
def catalog(language: str) -> NullTranslations:
    """The translations into `language` (English for a language we do not have)."""
    return Translations.load(DIRECTORY, [language if language in LANGUAGES else DEFAULT])
