"""Reminders and notices rendered from Jinja templates (`templates/<kind>.txt`, and
`<kind>.html` where a table reads better): a subject and a body, every time on the wall
clock of the zone the notice is about, named; codes shown as words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateNotFound, select_autoescape

from hub import translations
from hub.rules.findings import WORDS

# how each language writes a day and an instant: "Tue Mar 03" and "martes 3 de marzo"
DAY_PATTERNS = {"en": "EEE MMM dd", "es": "EEEE d 'de' MMMM"}
INSTANT_PATTERNS = {"en": "EEE MMM dd, HH:mm", "es": "EEEE d 'de' MMMM, HH:mm"}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str | None


def local(at: datetime, zone: str, language: str = translations.DEFAULT) -> str:
    """An instant as people read it in `zone`: Tue Mar 03, 07:00 CST."""
    wall = at.astimezone(ZoneInfo(zone))
    return f"{format_datetime(wall, INSTANT_PATTERNS[language], locale=language)} {wall.tzname()}"


def day(value: date, language: str = translations.DEFAULT) -> str:
    return format_date(value, DAY_PATTERNS[language], locale=language)


def day_in(at: datetime, zone: str, language: str = translations.DEFAULT) -> str:
    """The day an instant falls on in `zone`: Tue Mar 03."""
    return day(at.astimezone(ZoneInfo(zone)).date(), language)


@cache
def environment(language: str) -> Environment:
    """The templates with their words and dates in `language` (one of translations.LANGUAGES)."""
    env = Environment(loader=PackageLoader("hub.mail", "templates"), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, extensions=["jinja2.ext.i18n"])
    catalog = translations.catalog(language)
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    env.globals["language"] = language
    levels = {"supervisor": catalog.gettext("a supervisor"), "payroll": catalog.gettext("payroll")}
    env.filters.update(local=lambda at, zone: local(at, zone, language), day=lambda value: day(value, language),
                       day_in=lambda at, zone: day_in(at, zone, language),
                       words=lambda code: catalog.gettext(WORDS[code]) if code in WORDS else str(code),
                       iso_day_in=lambda at, zone: at.astimezone(ZoneInfo(zone)).date().isoformat(),
                       level=lambda name: levels.get(name, name))
    return env


def _block(template, name: str, context: dict[str, object]) -> str:
    return "".join(template.blocks[name](template.new_context(context))).strip()


def render(kind: str, context: dict[str, object], language: str = translations.DEFAULT) -> Rendered:
    """The message of a notice of `kind` in `language`; the text template's `subject` block is its subject."""
    env = environment(language if language in translations.LANGUAGES else translations.DEFAULT)
    text = env.get_template(f"{kind}.txt")
    subject = " ".join(_block(text, "subject", context).split())[:255]
    body = _block(text, "body", context) + "\n"
    try:
        html: str | None = env.get_template(f"{kind}.html").render(context)
    except TemplateNotFound:
        html = None
    return Rendered(subject, body, html)
