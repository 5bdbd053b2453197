"""The run summaries editors and operators read, as rich tables in Vietnamese."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text

from flows.pipeline.gathering import SourceReport
from flows.pipeline.normalising import NormaliseReport
from flows.pipeline.publishing import PublishReport


def sources_table(reports: list[SourceReport]) -> Table:
    table = Table(title="Thu thập tin theo nguồn", title_justify="left")
    for col in ("Nguồn", "Đọc được", "Mới", "Đã có", "Trùng", "Lỗi"):
        table.add_column(col, justify="left" if col == "Nguồn" else "right")
    table.add_column("Lý do lỗi, ghi chú", overflow="fold")
    for r in reports:
        why = Text("; ".join(r.reasons), style="red")
        notes = getattr(r, "notes", [])
        if notes:
            why.append(("; " if r.reasons else "") + "; ".join(notes), style="yellow")
        table.add_row(r.source_name, str(r.gathered), str(r.new), str(r.known), str(r.duplicate),
                      Text(str(r.failed), style="bold red" if r.failed else ""), why)
    return table


def normalise_lines(report: NormaliseReport) -> Text:
    return Text(
        f"Chuẩn hóa: {len(report.ready)} bài sẵn sàng, {len(report.approved)} bài tự động duyệt, "
        f"{len(report.duplicates)} bài trùng, {len(report.failed)} bài lỗi."
    )


def publish_lines(report: PublishReport) -> Text:
    return Text(
        f"Cổng thông tin: {report.stories} bài đang đăng ({len(report.newly_published)} bài mới); "
        f"{report.pages_written} trang ghi mới, {report.pages_unchanged} trang không đổi — {report.where}"
    )


def bulletins_table(report) -> Table:  # type: ignore[no-untyped-def]
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


def synthesise_lines(report) -> Group:  # type: ignore[no-untyped-def]
    parts: list = [bulletins_table(report)]
    parts.append(Text(f"Đoạn đọc cần có: {report.voiced}; tệp MP3 từng bài cho cổng thông tin ghi mới: "
                      f"{report.story_audio_written}."))
    if not report.bulletins:
        parts.append(Text("Không có tin mới để phát."))
    for failure in report.failures:
        parts.append(Text(f"Lỗi: {failure}", style="red"))
    return Group(*parts)


def _short(path: str) -> str:
    p = Path(path)
    try:
        return str(p.relative_to(Path.cwd()))
    except ValueError:
        return str(p)
