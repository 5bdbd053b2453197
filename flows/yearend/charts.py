"""The report's charts as inline SVG, drawn here on the server: they print, need no JavaScript and no network.

Pure: values in, SVG text out. Sizes are in the viewBox's units; the page scales the SVG to its column width
(about 165 mm of A4 between the margins).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from flows.yearend.numbers import month, number

WIDTH = 640
SERIES_COLOURS = ("#1f4e8c", "#d9822b", "#5b8c3a")  # dark blue, orange, green: apart in greyscale too
SERIES_DASH = ("", "6 3", "2 3")  # lines told apart without colour on a black-and-white printer
FONT = "font-family=\"'Times New Roman', Times, serif\""


def _nice_max(value: float) -> int:
    """A round top for the axis: 1, 2, 5 × 10^n at or above the value."""
    if value <= 0:
        return 1
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * exp >= value:
            return int(step * exp) if step * exp >= 1 else 1
    return int(10 * exp)


def _ticks(top: int) -> list[int]:
    step = max(1, top // 5) if top >= 5 else 1
    return list(range(0, top + 1, step))


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines or [""]


def _legend(names: Sequence[str], y: float, x: float = 0) -> list[str]:
    parts = []
    for i, name in enumerate(names):
        cx = x + i * 190
        parts.append(f'<rect x="{cx:.1f}" y="{y - 9:.1f}" width="14" height="10" fill="{SERIES_COLOURS[i]}"/>'
                     f'<text x="{cx + 19:.1f}" y="{y:.1f}" font-size="12">{escape(name)}</text>')
    return parts


def bar_chart(title: str, items: Sequence[tuple[str, Sequence[int]]], series: Sequence[str], label_width: int = 230,
              wrap: int = 36) -> str:
    """Horizontal bars, one group per item (e.g. a movement: stories received, stories aired)."""
    bar_h, gap = 11, 8
    lines_of = [_wrap(name, wrap) for name, _ in items]
    heights = [max(len(lines) * 14, len(series) * bar_h) + gap for lines in lines_of]
    top_pad, bottom_pad = 34, 40
    height = top_pad + sum(heights) + bottom_pad
    plot_x, plot_w = label_width + 8, WIDTH - label_width - 40
    top = _nice_max(max((v for _, values in items for v in values), default=0))
    scale = plot_w / top
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
           f'aria-label="{escape(title)}" {FONT} class="chart">',
           f'<title>{escape(title)}</title>',
           f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>']
    for t in _ticks(top):
        x = plot_x + t * scale
        out.append(f'<line x1="{x:.1f}" y1="{top_pad - 6}" x2="{x:.1f}" y2="{height - bottom_pad + 2}" '
                   f'stroke="#bbb" stroke-width="0.6"/>'
                   f'<text x="{x:.1f}" y="{height - bottom_pad + 15}" font-size="11" text-anchor="middle">'
                   f'{number(t)}</text>')
    y = float(top_pad)
    for (_name, values), lines, h in zip(items, lines_of, heights):
        text_y = y + 11
        out.append(f'<text x="{label_width}" y="{text_y:.1f}" font-size="11.5" text-anchor="end">'
                   + "".join(f'<tspan x="{label_width}" dy="{0 if i == 0 else 13}">{escape(line)}</tspan>'
                             for i, line in enumerate(lines)) + "</text>")
        for i, value in enumerate(values):
            by = y + i * bar_h
            w = value * scale
            out.append(f'<rect class="bar" data-series="{i}" data-value="{value}" x="{plot_x}" y="{by:.1f}" '
                       f'width="{w:.1f}" height="{bar_h - 2}" fill="{SERIES_COLOURS[i]}"/>'
                       f'<text x="{plot_x + w + 4:.1f}" y="{by + bar_h - 3:.1f}" font-size="10">{number(value)}</text>')
        y += h
    out.append(f'<line x1="{plot_x}" y1="{top_pad - 6}" x2="{plot_x}" y2="{height - bottom_pad + 2}" stroke="#333"/>')
    out += _legend(series, height - 8, plot_x)
    out.append("</svg>")
    return "".join(out)


def line_chart(title: str, months: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]) -> str:
    """One line per series over the months of the period (stories received, published, aired)."""
    height, left, right, top_pad, bottom_pad = 280, 44, 30, 34, 64
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom_pad
    top = _nice_max(max((v for _, values in series for v in values), default=0))
    n = len(months)
    step = plot_w / max(n - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (i * step if n > 1 else plot_w / 2)
        return x, top_pad + plot_h - v * plot_h / top

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
           f'aria-label="{escape(title)}" {FONT} class="chart">',
           f'<title>{escape(title)}</title>',
           f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>']
    for t in _ticks(top):
        _, y = xy(0, t)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#ccc" stroke-width="0.6"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{number(t)}</text>')
    every = max(1, math.ceil(n / 12))  # at most 12 month labels under the axis
    for i, key in enumerate(months):
        if i % every == 0 or i == n - 1:
            x, _ = xy(i, 0)
            out.append(f'<text x="{x:.1f}" y="{top_pad + plot_h + 16}" font-size="10.5" text-anchor="middle">'
                       f'{escape(month(key, short=True))}</text>')
    for s, (_name, values) in enumerate(series):
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(values)))
        dash = f' stroke-dasharray="{SERIES_DASH[s]}"' if SERIES_DASH[s] else ""
        out.append(f'<polyline class="line" data-series="{s}" points="{points}" fill="none" '
                   f'stroke="{SERIES_COLOURS[s]}" stroke-width="2"{dash}/>')
        for i, v in enumerate(values):
            x, y = xy(i, v)
            out.append(f'<circle class="point" data-series="{s}" data-value="{v}" cx="{x:.1f}" cy="{y:.1f}" r="2.6" '
                       f'fill="{SERIES_COLOURS[s]}"/>')
    out.append(f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{WIDTH - right}" y2="{top_pad + plot_h}" stroke="#333"/>')
    out += _legend([name for name, _ in series], height - 10, left)
    out.append("</svg>")
    return "".join(out)
