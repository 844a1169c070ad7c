"""The team timeline's SVG: one row per technician, bars where the engine put them, hour
lines across the shown span, and nothing outside the day."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from hub.rules.instants import to_us
from hub.rules.segments import Category
from hub.services.team_day import Bar, Row
from hub.web.timeline import hours_shown, render_svg

CHICAGO = ZoneInfo("America/Chicago")
DAY = date(2026, 3, 2)
SVG = "{http://www.w3.org/2000/svg}"


def at(hour: int, minute: int = 0) -> int:
    return to_us(datetime(2026, 3, 2, hour, minute, tzinfo=CHICAGO))


def row(tech: str, *bars: Bar) -> Row:
    return Row(SimpleNamespace(id=tech, name=f"Tech {tech}"), list(bars))


def test_a_day_from_six_to_six_unless_work_runs_longer():
    assert hours_shown([], DAY, CHICAGO) == (at(6), at(18))
    late = row("T-1", Bar(at(5, 30), at(19, 10), Category.GAP, None))
    assert hours_shown([late], DAY, CHICAGO) == (at(5), at(20))


def test_bars_are_placed_and_coloured_by_category_and_labelled():
    rows = [row("T-1", Bar(at(7), at(8), Category.DRIVE, "WO-7"), Bar(at(8), at(11), Category.ON_SITE, "WO-7")),
            row("T-2", Bar(at(12), at(12, 30), Category.UNPAID_MEAL, None))]
    svg = render_svg(rows, DAY, "America/Chicago", {}, now=datetime(2026, 3, 2, 15, tzinfo=CHICAGO).astimezone(timezone.utc))
    root = ET.fromstring(svg)
    rects = root.findall(f".//{SVG}rect")
    assert [r.get("data-category") for r in rects] == ["drive", "on_site", "unpaid_meal"]
    drive, site, _ = rects
    assert float(drive.get("x")) + float(drive.get("width")) == float(site.get("x"))
    assert abs(float(site.get("width")) - 3 * float(drive.get("width"))) < 0.5
    texts = [t.text for t in root.findall(f".//{SVG}text")]
    assert "Tech T-1" in texts and "WO-7" in texts and "06" in texts and "18" in texts
    assert drive.find(f"{SVG}title").text == "07:00–08:00 drive WO-7"
    assert any(line.find(f"{SVG}title") is not None for line in root.findall(f"{SVG}line"))  # now


def test_names_are_escaped():
    svg = render_svg([row("<T>", Bar(at(7), at(8), Category.GAP, None))], DAY, "America/Chicago", {})
    ET.fromstring(svg)  # well-formed
    assert "<T>" not in svg
