"""The report written under the reports folder: reports/<period>/bao-cao-<period>.html, .pdf, .xlsx and csv/.

Each file is written whole under a temporary name and then renamed, so an office that opens the folder never
finds half a file. The PDF is printed from the HTML file as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows.errors import BantinError, OperationalError
from flows.yearend.facts import Report, Summary
from flows.yearend.page import render
from flows.yearend.pdf import PdfUnavailable, print_pdf
from flows.yearend.period import Period
from flows.yearend.sheets import write_csvs, write_xlsx


@dataclass
class ReportFiles:
    """What `bantin report` wrote, and what it could not."""

    period: Period
    folder: Path
    html: Path
    xlsx: Path
    csv: list[Path] = field(default_factory=list)
    pdf: Path | None = None
    pdf_problem: str = ""  # why there is no PDF
    pdf_tool_missing: bool = False  # no Chromium here: the rest of the report is complete
    empty: bool = False
    summary: Summary | None = None


def write_report(report: Report, folder: Path, *, pdf: bool = True, chromium: str = "") -> ReportFiles:
    name = f"bao-cao-{report.period.slug}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        html = folder / f"{name}.html"
        partial = html.with_name(f".{html.name}.tmp")
        partial.write_text(render(report), encoding="utf-8")
        partial.replace(html)
        files = ReportFiles(report.period, folder, html, write_xlsx(report, folder / f"{name}.xlsx"),
                            write_csvs(report, folder / "csv"), empty=report.empty, summary=report.summary)
    except OSError as exc:
        raise OperationalError(f"Không ghi được báo cáo ({exc.strerror or exc}).", where=str(folder),
                               hint="Kiểm tra quyền ghi và dung lượng của thư mục báo cáo ([report] output).") from exc
    if pdf:
        try:
            files.pdf = print_pdf(html, folder / f"{name}.pdf", chromium)
        except PdfUnavailable as exc:
            files.pdf_problem, files.pdf_tool_missing = exc.describe(), True
        except BantinError as exc:
            files.pdf_problem = exc.describe()
    return files
