"""Report charts drawn as SVG on the server (no script in the browser): a line chart for
trends against a target and a bar chart, grouped or stacked, that can go below zero."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

PALETTE = ("#0b5cad", "#1a7f37", "#d9822b", "#8250df", "#b42318", "#0f8a7e", "#6e7781", "#bf8700")
WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 64


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | float | None]  # one per label; None: no point


def _frame(kind: str, title: str, body: list[str], series: Sequence[Series]) -> str:
    legend = "".join(
        f'<g transform="translate({LEFT + i * 150},{HEIGHT - 14})"><rect width="12" height="12" '
        f'fill="{PALETTE[i % len(PALETTE)]}"/><text x="16" y="11">{escape(s.name[:20])}</text></g>'
        for i, s in enumerate(series))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'role="img" aria-label="{escape(title)}" font-family="system-ui, sans-serif" font-size="11">'
            f'<title>{escape(title)}</title>{"".join(body)}{legend}</svg>')


def _scale(low: float, high: float):
    span = (high - low) or 1.0
    plot = HEIGHT - TOP - BOTTOM
    return lambda v: TOP + plot * (high - float(v)) / span


def _axis(labels: Sequence[str], y, low: float, high: float, fmt) -> list[str]:
    parts = []
    for i in range(5):
        value = low + (high - low) * i / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     f'stroke="#d0d7de"/><text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">'
                     f'{escape(fmt(value))}</text>')
    step = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    every = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % every == 0:
            x = LEFT + step * (i + 0.5)
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                         f'{escape(label[:14])}</text>')
    return parts


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, target: Decimal | None = None,
               percent: bool = False) -> str:
    """One line per series over the labels (weeks, say); `target` a dashed line."""
    values = [float(v) for s in series for v in s.values if v is not None]
    high = max(values + [float(target or 0), 1.0 if percent else 0.0]) or 1.0
    y = _scale(0.0, high)
    fmt = (lambda v: f"{v * 100:.0f}%") if percent else (lambda v: f"{v:.1f}")
    body = _axis(labels, y, 0.0, high, fmt)
    step = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    if target is not None:
        body.append(f'<line class="target" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" '
                    f'y2="{y(target):.1f}" stroke="#b42318" stroke-dasharray="6 4"/>'
                    f'<text x="{WIDTH - RIGHT}" y="{y(target) - 4:.1f}" text-anchor="end" fill="#b42318">'
                    f'target {escape(fmt(float(target)))}</text>')
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        points = [(LEFT + step * (j + 0.5), y(v)) for j, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{py:.1f}" for x, py in points)
            body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        body += [f'<circle cx="{x:.1f}" cy="{py:.1f}" r="3" fill="{colour}" data-series="{escape(s.name)}"/>'
                 for x, py in points]
    return _frame("line", title, body, series)


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, stacked: bool = False,
              unit: str = "") -> str:
    """Bars per label, one per series side by side (or stacked); negative values hang
    below the zero line."""
    def total(i: int, sign: int) -> float:
        return sum(float(v) for s in series if (v := s.values[i]) is not None and (float(v) * sign) > 0)

    if stacked:
        highs = [total(i, 1) for i in range(len(labels))]
        lows = [-total(i, -1) for i in range(len(labels))]
    else:
        highs = lows = [float(v) for s in series for v in s.values if v is not None]
    high, low = max([0.0, *highs]), min([0.0, *lows])
    if high == low:
        high = 1.0
    y = _scale(low, high)
    body = _axis(labels, y, low, high, lambda v: f"{v:.1f}{unit}")
    step = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    width = step * 0.8 / (1 if stacked else max(len(series), 1))
    for j, label in enumerate(labels):
        up = down = 0.0
        for i, s in enumerate(series):
            value = s.values[j]
            if value is None or float(value) == 0:
                continue
            v = float(value)
            x = LEFT + step * j + step * 0.1 + (0 if stacked else i * width)
            if stacked:
                base = up if v > 0 else down
                top, bottom = (base + v, base) if v > 0 else (base, base + v)
                up, down = (up + v, down) if v > 0 else (up, down + v)
            else:
                top, bottom = max(v, 0.0), min(v, 0.0)
            body.append(f'<rect x="{x:.1f}" y="{y(top):.1f}" width="{width:.1f}" '
                        f'height="{max(y(bottom) - y(top), 0.5):.1f}" fill="{PALETTE[i % len(PALETTE)]}" '
                        f'data-series="{escape(s.name)}" data-label="{escape(label)}">'
                        f'<title>{escape(label)} {escape(s.name)}: {value}{escape(unit)}</title></rect>')
    body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#1f2328"/>')
    return _frame("bar", title, body, series)
