"""The report as one HTML page (Jinja2): the layout of a Vietnamese administrative report, printable on A4,
with its charts inline. The page needs nothing else: no script, no stylesheet or image to fetch."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from flows.yearend import charts, numbers
from flows.yearend.facts import Report, Table

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(number=numbers.number, minutes=numbers.minutes, day=numbers.day, moment=numbers.moment)
    env.globals.update(percent=numbers.percent, table=table_html)
    return env


def cell(value: Any, kind: str) -> tuple[str, str]:
    """A value as the page shows it, and the cell's class."""
    if kind == "int":
        return numbers.number(value), "so"
    if kind == "minutes":
        return numbers.minutes(value), "so"
    if kind == "month":
        return numbers.month(value), "chu"
    if kind == "date":
        return numbers.day(value), "ngay"
    if kind == "yesno":
        return ("Có" if value else "Không"), "co-khong"
    return ("" if value is None else str(value)), ("lien-ket" if kind == "link" else "chu")


def table_html(t: Table, number: int) -> Markup:
    """One numbered table: a header row, a row per line with its order number, and the "Cộng" row."""
    head = "".join(f'<th class="w{c.width}">{escape(c.title)}</th>' if c.width else f"<th>{escape(c.title)}</th>"
                   for c in t.columns)  # classes, not style attributes: the web app forbids inline styles
    rows = []
    for i, row in enumerate(t.rows, start=1):
        cells = []
        for value, column in zip(row, t.columns):
            text, css = cell(value, column.kind)
            if column.kind == "link" and text:
                cells.append(f'<td class="{css}"><a href="{escape(text)}">{escape(text)}</a></td>')
            else:
                cells.append(f'<td class="{css}">{escape(text)}</td>')
        rows.append(f'<tr><td class="tt">{i}</td>{"".join(cells)}</tr>')
    if not rows:
        rows.append(f'<tr class="trong"><td colspan="{len(t.columns) + 1}">Không có.</td></tr>')
    foot = ""
    if t.total is not None:
        cells = []
        for value, column in zip(t.total, t.columns):
            text, css = cell(value, column.kind if value != "Cộng" else "text")
            cells.append(f'<td class="{css}">{escape(text)}</td>')
        foot = f'<tfoot><tr class="cong"><td class="tt"></td>{"".join(cells)}</tr></tfoot>'
    note = f'<p class="chu-thich">{escape(t.note)}</p>' if t.note else ""
    return Markup(f'<figure class="bang" id="bang-{t.id}"><figcaption>Bảng {number}. {escape(t.title)}</figcaption>'
                  f'<table class="so-lieu" data-table="{t.id}"><thead><tr><th>TT</th>{head}</tr></thead>'
                  f'<tbody>{"".join(rows)}</tbody>{foot}</table>{note}</figure>')


def report_charts(r: Report) -> dict[str, str]:
    return {
        "months": charts.line_chart("Số bài theo tháng", [m for m, *_ in r.months], [
            ("Bài nhận", [v[1] for v in r.months]), ("Bài đã đăng", [v[2] for v in r.months]),
            ("Bài đã phát thanh", [v[3] for v in r.months])]),
        "movements": charts.bar_chart("Số bài theo phong trào thi đua",
                                      [(name, (got, aired)) for name, got, aired in r.movement_bars],
                                      ["Bài nhận", "Bài đã phát thanh"]),
        "communes": charts.bar_chart("Số bài về từng xã, thị trấn",
                                     [(name, (got, aired)) for name, got, aired in r.commune_bars],
                                     ["Bài nhận", "Bài đã phát thanh"], label_width=130, wrap=20),
    }


CSS = TEMPLATES / "report.css"


def render(r: Report, stylesheet: str = "", toolbar: dict[str, Any] | None = None) -> str:
    """The whole page, as UTF-8 text: its style inline (a file that opens anywhere), or linked (the web app,
    whose policy forbids inline styles), with the web app's bar to choose the period when given."""
    css = "" if stylesheet else CSS.read_text(encoding="utf-8")
    return _environment().get_template("report.html").render(r=r, css=Markup(css), charts=report_charts(r),
                                                             stylesheet=stylesheet, toolbar=toolbar)
