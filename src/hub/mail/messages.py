"""Reminders and notices rendered from Jinja templates (`templates/<kind>.txt`, and
`<kind>.html` where a table reads better): a subject and a body, every time on the wall
clock of the zone the notice is about, named; codes shown as words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateNotFound, select_autoescape

from hub.rules.findings import WORDS

LEVELS = {"supervisor": "a supervisor", "payroll": "payroll"}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str | None


def local(at: datetime, zone: str) -> str:
    """An instant as people read it in `zone`: Tue Mar 03, 07:00 CST."""
    wall = at.astimezone(ZoneInfo(zone))
    return f"{wall:%a %b %d, %H:%M} {wall.tzname()}"


def day(value: date) -> str:
    return f"{value:%a %b %d}"


def day_in(at: datetime, zone: str) -> str:
    """The day an instant falls on in `zone`: Tue Mar 03."""
    return day(at.astimezone(ZoneInfo(zone)).date())


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("hub.mail", "templates"), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters.update(local=local, day=day, day_in=day_in, words=lambda code: WORDS.get(code, str(code)),
                       iso_day_in=lambda at, zone: at.astimezone(ZoneInfo(zone)).date().isoformat(),
                       level=lambda name: LEVELS.get(name, name))
    return env


ENVIRONMENT = _environment()


def _block(template, name: str, context: dict[str, object]) -> str:
    return "".join(template.blocks[name](template.new_context(context))).strip()


def render(kind: str, context: dict[str, object]) -> Rendered:
    """The message of a notice of `kind`; the text template's `subject` block is its subject."""
    text = ENVIRONMENT.get_template(f"{kind}.txt")
    subject = " ".join(_block(text, "subject", context).split())[:255]
    body = _block(text, "body", context) + "\n"
    try:
        html: str | None = ENVIRONMENT.get_template(f"{kind}.html").render(context)
    except TemplateNotFound:
        html = None
    return Rendered(subject, body, html)
