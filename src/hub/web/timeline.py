"""The team timeline: one row per technician, hour by hour, coloured by what the engine
made of the day (clocked with nothing recorded, break, meal, drive, on site per work
order), drawn as SVG on the server so a wall screen needs no script."""

from __future__ import annotations

import zlib
from datetime import date, datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo

from hub.rules.instants import HOUR_US, from_us, to_us
from hub.rules.segments import Category
from hub.rules.task_categories import TaskCategory, label
from hub.services.team_day import Row

COLOURS = {Category.GAP: "#9aa4ad", Category.PAID_BREAK: "#e3b341", Category.UNPAID_MEAL: "#d9822b",
           Category.DRIVE: "#2f6fde"}
SITE_COLOURS = ("#1a7f37", "#0f8a7e", "#5a8f29", "#137a5a", "#2d6a4f", "#3f8f3f")
NAMES = {Category.GAP: "clocked", Category.PAID_BREAK: "break", Category.UNPAID_MEAL: "meal",
         Category.DRIVE: "drive", Category.ON_SITE: "on site"}


def site_colour(work_order: str | None) -> str:
    return SITE_COLOURS[zlib.crc32((work_order or "").encode()) % len(SITE_COLOURS)]


def hours_shown(rows: list[Row], day: date, tz: ZoneInfo) -> tuple[int, int]:
    """From 06:00 to 18:00 local, widened to whole hours around any bar."""
    start = to_us(datetime.combine(day, time(6), tz))
    end = to_us(datetime.combine(day, time(18), tz))
    for row in rows:
        for bar in row.bars:
            start, end = min(start, bar.start), max(end, bar.end)
    first = from_us(start, tz).replace(minute=0, second=0, microsecond=0)
    last = from_us(end, tz)
    if last.minute or last.second or last.microsecond:
        last = last.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return to_us(first), to_us(last)


def render_svg(rows: list[Row], day: date, zone: str, categories: dict[str, TaskCategory],
               now: datetime | None = None, link: str = "/technicians/{id}/day/{day}") -> str:
    tz = ZoneInfo(zone)
    lo, hi = hours_shown(rows, day, tz)
    label_w, row_h, top, width = 220, 34, 34, 1400
    span = max(hi - lo, HOUR_US)
    scale = (width - label_w - 10) / span
    height = top + row_h * max(len(rows), 1) + 8

    def x(us: int) -> float:
        return label_w + (min(max(us, lo), hi) - lo) * scale

    minutes: dict[int, str] = {}

    def hhmm(us: int) -> str:
        """Local HH:MM, once per distinct minute (a depot's bars share most of them)."""
        minute = us // 60_000_000
        if minute not in minutes:
            minutes[minute] = f"{from_us(minute * 60_000_000, tz):%H:%M}"
        return minutes[minute]

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
           f'role="group" aria-label="Team timeline {day.isoformat()}" class="timeline" '
           'font-family="system-ui, sans-serif">']
    hour = lo
    while hour <= hi:
        hx = x(hour)
        out.append(f'<line x1="{hx:.1f}" y1="{top - 6}" x2="{hx:.1f}" y2="{height - 8}" stroke="#d0d7de"/>')
        out.append(f'<text x="{hx:.1f}" y="{top - 12}" font-size="18" text-anchor="middle" fill="#333">'
                   f'{from_us(hour, tz):%H}</text>')
        hour += HOUR_US
    for index, row in enumerate(rows):
        y = top + index * row_h
        href = escape(link.format(id=row.technician.id, day=day.isoformat()))
        out.append(f'<a href="{href}"><text x="4" y="{y + row_h * 0.68:.1f}" font-size="20" fill="#111">'
                   f'{escape(row.technician.name[:22])}</text></a>')
        for bar in row.bars:
            x1, x2 = x(bar.start), x(bar.end)
            if x2 - x1 < 0.5:
                continue
            colour = site_colour(bar.work_order) if bar.category is Category.ON_SITE else COLOURS[bar.category]
            what = NAMES[bar.category]
            if bar.category in (Category.ON_SITE, Category.DRIVE):
                what += f" {label(categories, bar.work_order)}"
            title = f"{hhmm(bar.start)}–{hhmm(bar.end)} {what}"
            out.append(f'<rect x="{x1:.1f}" y="{y + 4}" width="{x2 - x1:.1f}" height="{row_h - 8}" '
                       f'fill="{colour}" data-category="{bar.category.value}"><title>{escape(title)}</title></rect>')
            if bar.category is Category.ON_SITE and bar.work_order and x2 - x1 > 60:
                out.append(f'<text x="{x1 + 4:.1f}" y="{y + row_h * 0.66:.1f}" font-size="16" fill="#fff">'
                           f'{escape(label(categories, bar.work_order))}</text>')
    if now is not None and lo <= to_us(now) <= hi:
        nx = x(to_us(now))
        out.append(f'<line x1="{nx:.1f}" y1="{top - 6}" x2="{nx:.1f}" y2="{height - 8}" stroke="#cf222e" '
                   'stroke-width="3"><title>now</title></line>')
    out.append("</svg>")
    return "".join(out)


LEGEND = [("clocked, nothing recorded", COLOURS[Category.GAP]), ("break", COLOURS[Category.PAID_BREAK]),
          ("meal", COLOURS[Category.UNPAID_MEAL]), ("drive", COLOURS[Category.DRIVE]),
          ("on site (colour per work order)", SITE_COLOURS[0])]
