"""The run summaries editors and operators read, as rich tables in Vietnamese."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text

from flows.pipeline import CheckReport, NightlyReport, NormaliseReport, PublishReport, SourceReport, SynthesiseReport


def sources_table(reports: list[SourceReport]) -> Table:
    table = Table(title="Thu thập tin theo nguồn", title_justify="left")
    for col in ("Nguồn", "Đọc được", "Mới", "Đã có", "Trùng", "Lỗi"):
        table.add_column(col, justify="left" if col == "Nguồn" else "right")
    table.add_column("Lý do lỗi", overflow="fold")
    for r in reports:
        reasons = "; ".join(r.reasons)
        table.add_row(r.source_name, str(r.gathered), str(r.new), str(r.known), str(r.duplicate),
                      Text(str(r.failed), style="bold red" if r.failed else ""), Text(reasons, style="red"))
    return table


def normalise_lines(report: NormaliseReport) -> Text:
    return Text(
        f"Chuẩn hóa: {len(report.ready)} bài sẵn sàng, {len(report.approved)} bài tự động duyệt, "
        f"{len(report.duplicates)} bài trùng, {len(report.failed)} bài lỗi."
    )


def publish_lines(report: PublishReport) -> Text:
    withdrawn = f", {len(report.withdrawn)} bài gỡ xuống" if report.withdrawn else ""
    return Text(
        f"Cổng thông tin: {report.stories} bài đang đăng ({len(report.newly_published)} bài mới{withdrawn}); "
        f"{report.pages_written} tệp ghi mới, {report.pages_unchanged} tệp không đổi — {report.where}"
    )


def bulletins_table(report: SynthesiseReport) -> Table:
    table = Table(title=f"Bản tin ngày {report.day:%d/%m/%Y}", title_justify="left")
    table.add_column("Đài")
    table.add_column("Buổi")
    table.add_column("Tin", justify="right")
    table.add_column("Bỏ bớt", justify="right")
    table.add_column("Thời lượng", no_wrap=True)
    table.add_column("Tệp", overflow="fold")
    table.add_column("Ghi")
    for b in report.bulletins:
        table.add_row(b.station_name.removeprefix("Đài Truyền thanh "), b.slot_name, str(b.stories), str(b.dropped),
                      mmss(b.duration_seconds), _short(b.path), "mới" if b.written else "giữ nguyên")
    return table


def mmss(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}:{s:02d}"


def synthesise_lines(report: SynthesiseReport) -> Group:
    parts: list = [bulletins_table(report)]
    parts.append(Text(f"Đoạn đọc cần có: {report.voiced}; bài được đọc cho cổng thông tin: {report.story_audio}."))
    if not report.bulletins and not report.failures:
        parts.append(Text("Không có tin mới để phát."))
    for warning in report.warnings:
        parts.append(Text(f"Chú ý: {warning}", style="yellow"))
    for failure in report.failures:
        parts.append(Text(f"Lỗi: {failure}", style="red"))
    return Group(*parts)


def nightly_lines(report: NightlyReport) -> Group:
    return Group(sources_table(report.sources), normalise_lines(report.normalised),
                 synthesise_lines(report.synthesised), publish_lines(report.published))


def check_table(report: CheckReport) -> Table:
    table = Table(title=f"Kiểm tra bản tin ngày {report.day:%d/%m/%Y}")
    for col in ("Đài", "Tệp", "Thời lượng", "LUFS", "dBTP", "Kết quả"):
        table.add_column(col, overflow="fold")
    for result in report.checks:
        audio = result.audio
        table.add_row(result.path.parent.parent.name, result.path.name, mmss(audio.duration_seconds),
                      f"{audio.integrated_lufs:.1f}", f"{audio.true_peak_dbtp:.1f}",
                      Text("đạt", style="green") if result.ok else Text("; ".join(result.problems), style="red"))
    return table


def _short(path: str) -> str:
    p = Path(path)
    try:
        return str(p.relative_to(Path.cwd()))
    except ValueError:
        return str(p)
