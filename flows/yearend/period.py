"""The period a report covers: any first and last day, a calendar year being the usual one (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flows.errors import UserError
from flows.yearend.numbers import day


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise UserError(f"Kỳ báo cáo không hợp lệ: ngày cuối {day(self.last)} trước ngày đầu {day(self.first)}.",
                            hint="Đổi chỗ --from và --to.")

    @classmethod
    def year(cls, year: int) -> "Period":
        if not 1900 <= year <= 9999:
            raise UserError(f"Năm {year} không hợp lệ.", hint="Ví dụ: --year 2023.")
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def chosen(cls, first: str | None, last: str | None, year: int | None, today: date) -> "Period":
        """From the command line: --year, or --from and --to (either may be left out), or this year."""
        if year is not None:
            if first or last:
                raise UserError("Chỉ dùng --year, hoặc --from và --to, không dùng cả hai.")
            return cls.year(year)
        if not first and not last:
            return cls.year(today.year)
        start = _parse(first, "--from") if first else date(_parse(last, "--to").year, 1, 1)  # type: ignore[arg-type]
        end = _parse(last, "--to") if last else date(start.year, 12, 31)
        return cls(start, end)

    @property
    def whole_year(self) -> int | None:
        """The year, when the period is exactly one calendar year."""
        if (self.first.month, self.first.day, self.last.month, self.last.day) == (1, 1, 12, 31) \
                and self.first.year == self.last.year:
            return self.first.year
        return None

    @property
    def label(self) -> str:
        """'năm 2023', or 'từ ngày 01/03/2023 đến ngày 30/06/2023'."""
        year = self.whole_year
        return f"năm {year}" if year else f"từ ngày {day(self.first)} đến ngày {day(self.last)}"

    @property
    def slug(self) -> str:
        """The report's folder name: '2023', or '2023-03-01_2023-06-30'."""
        year = self.whole_year
        return str(year) if year else f"{self.first.isoformat()}_{self.last.isoformat()}"

    def months(self) -> list[str]:
        """Every month the period touches, 'YYYY-MM', in order."""
        out = []
        y, m = self.first.year, self.first.month
        while (y, m) <= (self.last.year, self.last.month):
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def __contains__(self, when: date) -> bool:
        return self.first <= when <= self.last


def _parse(value: str, option: str) -> date:
    text = value.strip()
    for parse in (date.fromisoformat, _dmy):
        try:
            return parse(text)
        except ValueError:
            continue
    raise UserError(f"Ngày '{value}' ở {option} không đúng dạng.", hint="Viết YYYY-MM-DD (2023-12-31) hoặc dd/mm/yyyy.")


def _dmy(text: str) -> date:
    d, m, y = text.split("/")
    return date(int(y), int(m), int(d))
