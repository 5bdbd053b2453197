"""Vietnamese number and date formats: 1.234,5 and 31/12/2023 (pure)."""

from __future__ import annotations

from datetime import date, datetime


def number(value: float | int | None, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (dots between thousands, a comma before decimals)."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}".translate(str.maketrans(",.", ".,"))
    return text[1:] if text.startswith("-") and not text.strip("-0,.") else text  # no "-0,0"


def minutes(seconds: float | None) -> str:
    """Airtime in minutes with one decimal: 754 s -> '12,6'."""
    return number(None if seconds is None else seconds / 60, 1)


def percent(part: float, whole: float, decimals: int = 1) -> str:
    return "–" if not whole else f"{number(100 * part / whole, decimals)}%"


def day(value: date | datetime | None) -> str:
    return "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year}"


def moment(value: datetime) -> str:
    return f"{value.hour:02d} giờ {value.minute:02d}, ngày {day(value)}"


def month(key: str, short: bool = False) -> str:
    """'2023-06' -> 'Tháng 6/2023' (or 'T6/2023' under a chart)."""
    year, mon = key.split("-")
    return f"{'T' if short else 'Tháng '}{int(mon)}/{year}"
