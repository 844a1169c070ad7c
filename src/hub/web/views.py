"""What every page shares: formatting filters, the navigation for the user's role, and
reading local dates and times from forms."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from markupsafe import Markup
from pydantic import BaseModel

from hub.rules import approval
from hub.rules.findings import WORDS
from hub.rules.instants import from_us
from hub.rules.punch_flags import WORDS as FLAG_WORDS
from hub.rules.task_categories import label
from hub.rules.typed_time import NotATime, parse_date, parse_time
from hub.services.problems import Invalid
from hub.services.task_categories import categories
from hub.web.db import get_session

NAV = {
    "technician": [("me.day", _l("My day")), ("timers.index", _l("Timer")), ("me.week", _l("My week"))],
    "supervisor": [("board.board", "Board"), ("board.timeline", "Timeline"), ("sheets.inbox", "Exceptions"),
                   ("punches.flagged", "Flagged punches"), ("sheets.technicians", "Technicians"),
                   ("team.index", "Team"), ("queue.index", "Approvals"), ("legs.driverless", "Legs"),
                   ("work_orders.index", "Work orders"), ("badges.index", "Badges"),
                   ("reports.utilisation_page", "Reports")],
    "payroll": [("board.board", "Board"), ("punches.flagged", "Flagged punches"), ("sheets.technicians", "Technicians"),
                ("team.index", "Team"), ("queue.index", "Approvals"), ("payroll.index", "Payroll"),
                ("exports.index", "Exports"), ("reports.utilisation_page", "Reports")],
    "admin": [("board.board", "Board"), ("board.timeline", "Timeline"), ("sheets.inbox", "Exceptions"),
              ("punches.flagged", "Flagged punches"), ("sheets.technicians", "Technicians"), ("team.index", "Team"),
              ("queue.index", "Approvals"), ("legs.driverless", "Legs"), ("work_orders.index", "Work orders"),
              ("payroll.index", "Payroll"), ("exports.index", "Exports"), ("reports.utilisation_page", "Reports"),
              ("admin.index", "Admin")],
}


def hm(us: int | None) -> Markup:
    """A duration in µs as h:mm, marked as a duration so that 13:20 of work is not read
    (by people or the tests) as twenty past one."""
    minutes = round((us or 0) / 60_000_000)
    return Markup('<span class="hm" title="{}">{}:{:02d}</span>').format(gettext("hours:minutes"), minutes // 60, minutes % 60)


CURRENCY_SIGNS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "GBP": "£", "EUR": "€"}


def shown(value) -> str:
    """A stored value as people read it: yes/no, not True/False; nothing for None; a
    decimal without trailing zeros; a group of settings as its settings, each so."""
    if value is None:
        return ""
    if isinstance(value, BaseModel):
        return "; ".join(f"{name.replace('_', ' ')}: {shown(v) or 'not set'}" for name, v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value.quantize(Decimal('0.01'))}"
    return str(value)


def money(amount, currency: str = "USD") -> str:
    """An amount with its currency: $1,234.50 (or 1,234.50 SEK where no sign is known)."""
    text = f"{Decimal(amount).quantize(Decimal('0.01')):,}"
    sign = CURRENCY_SIGNS.get(currency)
    return f"{sign}{text}" if sign else f"{text} {currency}"


def code_words(text: str) -> str:
    """Exception codes in a report's `code n; code n` as words."""
    words = {code.value: word for code, word in WORDS.items()}
    parts = []
    for part in filter(None, (text or "").split("; ")):
        code, _, count = part.rpartition(" ")
        parts.append(f"{words.get(code, code)}: {count}")
    return "; ".join(parts)


def local(value: datetime | int | None, zone: str) -> datetime | None:
    """An instant (aware datetime or µs since the epoch) on `zone`'s wall clock."""
    if value is None:
        return None
    tz = ZoneInfo(zone)
    return from_us(value, tz) if isinstance(value, int) else value.astimezone(tz)


@pass_context
def clock(context, value: datetime | int | None, zone: str | None = None, fmt: str = "%H:%M") -> Markup:
    """An instant as a <time> in `zone` (default: the page's, named at the top of every
    page); a time in another zone than the page's carries its zone's abbreviation."""
    page_zone = context.get("zone") or ""
    zone = str(zone or page_zone)
    at = local(value, zone)
    if at is None:
        return Markup("")
    text = at.strftime(fmt) + ("" if zone == page_zone else f" {at.tzname()}")
    return Markup('<time datetime="{}" data-zone="{}">{}</time>').format(at.isoformat(), zone, text)


def flag_words(flags) -> list[str]:
    """A punch's flags as words, in the page's language."""
    return [gettext(FLAG_WORDS[flag]) if flag in FLAG_WORDS else flag for flag in flags or ()]


def local_day(value: datetime, zone: str) -> date:
    """The day an instant falls on in `zone`."""
    return value.astimezone(ZoneInfo(zone)).date()


def wall(value: datetime | int | None, zone: str) -> str:
    """An instant's HH:MM in `zone`, as a form field's starting value."""
    at = local(value, zone)
    return "" if at is None else at.strftime("%H:%M")


def _named(field: str, label: str | None, error: NotATime) -> str:
    return f"{label or field.replace('_', ' ').capitalize()}: {error}"


def parse_day(text: str | None, field: str = "day", label: str | None = None) -> date:
    """A date typed or picked in a form (YYYY-MM-DD); refused naming the field."""
    try:
        return parse_date(text)
    except NotATime as error:
        raise Invalid(field, f"{label}: {error}" if label else str(error)) from None


def parse_local(day: date, text: str | None, zone: str, field: str, label: str | None = None) -> datetime:
    """A wall-clock time typed for `day` in `zone` (7:05, 07.05, 0705, 7:05 pm...) as an
    aware instant; refused naming the field, never cut short."""
    try:
        wall = parse_time(text)
    except NotATime as error:
        raise Invalid(field, _named(field, label, error)) from None
    return datetime.combine(day, wall, ZoneInfo(zone))


def _categories():
    """The company's task categories, read once a request."""
    if "task_categories" not in g:
        g.task_categories = categories(get_session())
    return g.task_categories


def work_order_label(work_order: str | None) -> str:
    """A visit's or leg's target as a page shows it."""
    return label(_categories(), work_order)


def category_choices(day: date) -> list[tuple[str, str]]:
    """(id, label) of the task categories in use on `day`, for a select, in the page's language."""
    return [(c.id, gettext("%(name)s (billable)", name=c.name) if c.billable else gettext("%(name)s (non-billable)", name=c.name))
            for c in _categories().values() if c.active_on(day)]


def init_app(app: Flask) -> None:
    app.add_template_filter(hm)
    app.add_template_filter(clock)
    app.add_template_filter(wall)
    app.add_template_filter(flag_words)
    app.add_template_filter(local_day)
    app.add_template_filter(shown)
    app.add_template_filter(code_words)
    app.add_template_filter(lambda amount: money(amount, current_app.config["HUB_SETTINGS"].currency), "money")
    app.add_template_filter(work_order_label, "wo")
    app.add_template_filter(lambda decision: gettext(approval.WORDS[decision]) if decision in approval.WORDS else decision,
                            "decision")

    @app.context_processor
    def navigation():
        """The role's menu, the zone the page's times are in (the company's unless the
        page names a depot's or technician's), and the maps' tiles."""
        user = g.get("user")
        settings = current_app.config["HUB_SETTINGS"]
        return {"nav": NAV.get(user.role, []) if user else [], "user": user, "zone": settings.timezone,
                "map_tiles": settings.map_tiles, "map_attribution": settings.map_attribution}
