"""The report's tables for the office's own spreadsheets: one XLSX workbook (a sheet per table, numbers as numbers)
and one CSV per table (UTF-8 with a BOM, ';' between fields and a decimal comma, as Vietnamese spreadsheets
expect)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from flows.yearend import numbers
from flows.yearend.facts import Column, Report, Table

INT_FORMAT = "#,##0"  # Excel shows it with the reader's separators: 1.234 in a Vietnamese locale
MINUTES_FORMAT = "#,##0.0"
DATE_FORMAT = "dd/mm/yyyy"


def sheet_value(value: Any, column: Column) -> Any:
    """A value as the workbook keeps it: numbers as numbers (minutes rounded as on the page), text as text."""
    if column.kind == "minutes" and isinstance(value, (int, float)):
        return round(value / 60, 1)
    if column.kind == "month" and isinstance(value, str) and value != "Cộng":
        return numbers.month(value)
    if column.kind == "yesno":
        return "Có" if value else "Không"
    return value


def csv_value(value: Any, column: Column) -> str:
    value = sheet_value(value, column)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return numbers.day(value)
    return "" if value is None else str(value)


def _rows(t: Table) -> list[list[Any]]:
    rows = [[i, *row] for i, row in enumerate(t.rows, start=1)]
    if t.total is not None:
        rows.append(["", *t.total])
    return rows


def write_xlsx(r: Report, target: Path) -> Path:
    partial = target.with_name(f".{target.name}.tmp")
    build_workbook(r).save(partial)
    partial.replace(target)
    return target


def xlsx_bytes(r: Report) -> bytes:
    """The workbook in memory (the web app sends it without writing a file)."""
    out = io.BytesIO()
    build_workbook(r).save(out)
    return out.getvalue()


def build_workbook(r: Report) -> Workbook:
    """One sheet per table, in the page's order, with the period, the header row, the rows and the total."""
    book = Workbook()
    book.remove(book.active)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for number, t in enumerate(r.tables.values(), start=1):
        sheet = book.create_sheet(title=t.id[:31])
        sheet.append([f"Bảng {number}. {t.title}"])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([f"Kỳ báo cáo: {r.period.label} (từ {numbers.day(r.period.first)} đến {numbers.day(r.period.last)})"])
        header = ["TT", *(c.title for c in t.columns)]
        sheet.append(header)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            cell.border = border
        columns = [Column("TT"), *t.columns]
        for row in _rows(t):
            sheet.append([sheet_value(v, c) if not (c.kind == "month" and v == "Cộng") else v
                          for v, c in zip(row, columns)])
            for cell, column in zip(sheet[sheet.max_row], columns):
                cell.border = border
                if column.kind == "int":
                    cell.number_format = INT_FORMAT
                elif column.kind == "minutes":
                    cell.number_format = MINUTES_FORMAT
                elif column.kind == "date":
                    cell.number_format = DATE_FORMAT
                elif column.kind == "link" and cell.value:
                    cell.hyperlink = str(cell.value)
        if t.total is not None:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        if t.note:
            sheet.append([])
            sheet.append([t.note])
        for index, column in enumerate(columns, start=1):
            wide = 46 if column.kind in ("text", "link") else 12
            sheet.column_dimensions[get_column_letter(index)].width = 5 if index == 1 else wide
        sheet.freeze_panes = "A4"
    return book


def csv_text(t: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    columns = [Column("TT"), *t.columns]
    writer.writerow([c.title for c in columns])
    for row in _rows(t):
        writer.writerow([csv_value(v, c) if not (c.kind == "month" and v == "Cộng") else v for v, c in zip(row, columns)])
    return out.getvalue()


def write_csvs(r: Report, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, t in enumerate(r.tables.values(), start=1):
        path = folder / f"bang-{number:02d}-{t.id}.csv"
        partial = path.with_name(f".{path.name}.tmp")
        partial.write_text("\ufeff" + csv_text(t), encoding="utf-8", newline="")
        partial.replace(path)
        written.append(path)
    return written
