"""What every page shares: formatting filters, the navigation for the user's role, and
reading local dates and times from forms."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import Flask, g

from hub.rules.instants import from_us
from hub.services.problems import Invalid
from hub.services.records_view import work_order_label

NAV = {
    "technician": [("me.day", "My day"), ("me.week", "My week")],
    "supervisor": [("board.board", "Board"), ("board.timeline", "Timeline"), ("sheets.inbox", "Exceptions"),
                   ("sheets.technicians", "Technicians"), ("work_orders.index", "Work orders"),
                   ("reports.utilisation_page", "Reports")],
    "payroll": [("board.board", "Board"), ("sheets.technicians", "Technicians"), ("payroll.index", "Payroll"),
                ("exports.index", "Exports"), ("reports.utilisation_page", "Reports")],
    "admin": [("board.board", "Board"), ("board.timeline", "Timeline"), ("sheets.inbox", "Exceptions"),
              ("sheets.technicians", "Technicians"), ("work_orders.index", "Work orders"),
              ("payroll.index", "Payroll"), ("exports.index", "Exports"), ("reports.utilisation_page", "Reports"),
              ("admin.index", "Admin")],
}


def hm(us: int | None) -> str:
    """A duration in µs as h:mm."""
    if not us:
        return "0:00"
    minutes = round(us / 60_000_000)
    return f"{minutes // 60}:{minutes % 60:02d}"


def clock(value, zone: str | ZoneInfo) -> str:
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    if value is None:
        return ""
    at = from_us(value, tz) if isinstance(value, int) else value.astimezone(tz)
    return at.strftime("%H:%M")


def parse_day(text: str | None, field: str = "day") -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise Invalid(field, "give a date as YYYY-MM-DD") from None


def parse_local(day: date, text: str | None, zone: str, field: str) -> datetime:
    """A wall-clock time on `day` in `zone` (HH:MM) as an aware instant."""
    try:
        wall = time.fromisoformat((text or "").strip())
    except ValueError:
        raise Invalid(field, "give a time as HH:MM") from None
    return datetime.combine(day, wall, ZoneInfo(zone))


def init_app(app: Flask) -> None:
    app.add_template_filter(hm)
    app.add_template_filter(clock)
    app.add_template_filter(work_order_label, "wo")
    app.add_template_filter(ZoneInfo, "tz")

    @app.context_processor
    def navigation():
        user = g.get("user")
        return {"nav": NAV.get(user.role, []) if user else [], "user": user}
