"""The run summaries editors and operators read, as rich tables in Vietnamese."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text

from flows.models import Story

if TYPE_CHECKING:
    from flows.yearend.writer import ReportFiles
from flows.pipeline import CheckReport, NightlyReport, NormaliseReport, PublishReport, SourceReport, SynthesiseReport


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
        f"Chuẩn hóa: {len(report.ready)} bài sẵn sàng ({len(report.approved)} duyệt ngay, "
        f"{len(report.in_review)} chờ hết thời gian xem, {len(report.waiting)} chờ biên tập viên duyệt), "
        f"{len(report.duplicates)} bài trùng, {len(report.failed)} bài lỗi."
    )


def publish_lines(report: PublishReport) -> Text:
    withdrawn = f", {len(report.withdrawn)} bài gỡ xuống" if report.withdrawn else ""
    failed = (f"; {len(report.failed)} bài chưa đăng được (xem lịch sử từng bài)"
              if report.failed else "")
    text = Text(
        f"Cổng thông tin: {report.stories} bài đang đăng ({len(report.newly_published)} bài mới{withdrawn}); "
        f"{report.pages_written} tệp ghi mới, {report.pages_unchanged} tệp không đổi{failed} — {report.where}"
    )
    for warning in report.warnings:  # the publish went on without these
        text.append(f"\n  Cảnh báo: {warning}")
    return text


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
    for idle in report.idle:
        parts.append(Text(f"Không có bản tin: {idle}", style="yellow"))
    for failure in report.failures:
        parts.append(Text(f"Lỗi: {failure}", style="red"))
    return Group(*parts)


def nightly_lines(report: NightlyReport) -> Group:
    released = (Text(f"Lên sóng không qua biên tập viên (hết thời gian xem): bài số "
                     f"{', '.join(map(str, report.released))}.", style="yellow")
                if report.released else Text("Không có bài nào lên sóng mà chưa qua biên tập viên xem."))
    return Group(sources_table(report.sources), normalise_lines(report.normalised), released,
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


def stories_table(stories: list[Story], title: str) -> Table:
    table = Table(title=f"{title} ({len(stories)})", title_justify="left")
    for col in ("Số", "Ngày", "Trạng thái", "Nguồn", "Tiêu đề", "Ghi chú"):
        table.add_column(col, overflow="fold", justify="right" if col == "Số" else "left")
    for s in stories:
        note = s.failure or ""
        if s.state.value == "normalised":
            note = (f"tự động duyệt lúc {s.review_until:%H:%M %d/%m}" if s.review_until else "chờ duyệt")
        if s.warnings:
            note = (note + "; " if note else "") + f"{len(s.warnings)} cảnh báo soát lỗi"
        table.add_row(str(s.id), f"{s.dated:%d/%m/%Y}", s.state.label_vi, s.source_id, s.title,
                      Text(note, style="red" if s.failure else "yellow" if s.warnings else ""))
    return table


def history_lines(story: Story, broadcasts: list[tuple[date, str, str]]) -> Text:
    """A story's history as an editor reads it: one line per step, and its airings summed up per day."""
    out = Text()
    for e in story.events:
        out.append(f"  {e.at:%d/%m/%Y %H:%M}  {e.state.label_vi:<13} {e.actor}: {e.message}\n")
    per_day: dict[date, set[str]] = {}
    slots = 0
    for day, station, _slot in broadcasts:
        per_day.setdefault(day, set()).add(station)
        slots += 1
    if per_day:
        days = ", ".join(f"{d:%d/%m} ({len(st)} đài)" for d, st in sorted(per_day.items()))
        out.append(f"  Đã phát trong {slots} bản tin: {days}\n")
    return out


def report_lines(files: "ReportFiles") -> Text:
    """What `bantin report` wrote, in a few lines."""
    from flows.yearend.numbers import minutes, number

    s = files.summary
    lines = [f"Báo cáo {files.period.label} (từ {files.period.first:%d/%m/%Y} đến {files.period.last:%d/%m/%Y}):"]
    if files.empty or s is None:
        lines.append("  Không có bài nào và không có bản tin nào trong kỳ; báo cáo ghi rõ điều đó.")
    else:
        lines.append(f"  {number(s.received)} bài nhận, {number(s.approved)} đã duyệt, {number(s.published)} đã đăng, "
                     f"{number(s.aired)} đã phát; {number(s.bulletins)} bản tin, {minutes(s.item_seconds)} phút đọc tin.")
    lines.append(f"  Trang in (HTML): {files.html}")
    lines.append(f"  PDF: {files.pdf}" if files.pdf else f"  PDF: chưa có – {files.pdf_problem or 'không yêu cầu (--no-pdf)'}")
    lines.append(f"  Bảng tính: {files.xlsx}")
    lines.append(f"  CSV ({len(files.csv)} bảng): {files.folder / 'csv'}")
    return Text("\n".join(lines))
