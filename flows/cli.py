"""The `bantin` command: parses arguments, calls the library, prints in Vietnamese. Nothing else."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn
from rich.table import Table
from typer.core import TyperGroup

from flows import progress
from flows.errors import BantinError, OperationalError, UserError


class _Commands(TyperGroup):
    """Every command's errors rendered in one place: a BantinError (also one a Prefect flow re-raised) is one
    Vietnamese line on stderr, `Lỗi: <where>: <what> <what to do>`, and exit 1 (a mistake or bad input) or 2
    (the newsroom's own machinery failed); typer's usage errors keep their message and exit 2; bugs keep
    their traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer's own click Context (typer.core's private copy of click)
        _quiet_prefect_tracebacks()
        try:
            return super().invoke(ctx)
        except BantinError as exc:
            _say_error(exc.describe())
            # typer's own Exit: typer runs its own copy of click, whose main() would not know click's.
            raise typer.Exit(exit_code(exc)) from None


def exit_code(exc: BantinError) -> int:
    """1 for a mistake to fix or a failure to retry; 2 when the newsroom's machinery failed (store lost, disk)."""
    return 2 if isinstance(exc, OperationalError) else 1


def _say_error(line: str) -> None:
    """One line on stderr, never wrapped nor read as markup (a message may quote `[[station]]`)."""
    label = "\x1b[1;31mLỗi:\x1b[0m" if sys.stderr.isatty() else "Lỗi:"
    print(f"{label} {line}", file=sys.stderr, flush=True)


class _NoTracebackForBantinErrors(logging.Filter):
    """Prefect logs the traceback of a failed task or flow; an error raised on purpose is said once, above."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], BantinError):
            record.exc_info, record.exc_text = None, None
        return True


_QUIET = _NoTracebackForBantinErrors()


def _quiet_prefect_tracebacks() -> None:
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logger = logging.getLogger(name)
        if _QUIET not in logger.filters:
            logger.addFilter(_QUIET)


app = typer.Typer(cls=_Commands, help="bantin: thu thập, chuẩn hóa, đăng tin và làm bản tin phát thanh cho đài huyện, xã.",
                  no_args_is_help=True, add_completion=False)
console = Console()

ContentOpt = Annotated[Optional[Path], typer.Option("--content", "-c", help="Thư mục cấu hình (mặc định: ./content).")]
DayOpt = Annotated[Optional[str], typer.Option("--date", "-d", help="Ngày phát, dạng YYYY-MM-DD (mặc định: ngày mai).")]


def _content(content: Path | None) -> str | None:
    if content is not None:
        os.environ["BANTIN_CONTENT"] = str(content)
        return str(content)
    return None


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"Ngày '{value}' không đúng dạng YYYY-MM-DD.") from None


class _Progress:
    """Show the stages' progress on the terminal while a flow runs."""

    def __enter__(self) -> "_Progress":
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            console=console, transient=True)
        self.tasks: dict[str, TaskID] = {}
        self.bar.__enter__()
        progress.listen(self.update)
        return self

    def update(self, message: str, done: int, total: int) -> None:
        if message not in self.tasks:
            self.tasks[message] = self.bar.add_task(message, total=total or None)
        self.bar.update(self.tasks[message], completed=done, total=total or None)

    def __exit__(self, *exc: object) -> None:
        progress.stop_listening(self.update)
        self.bar.__exit__(None, None, None)


def _fail(message: str) -> None:
    _say_error(message)
    raise typer.Exit(code=1)


def _ready(content: str | None) -> tuple:  # type: ignore[type-arg]
    """The newsroom and its store, with every content file read first: a mistake in content/ stops a flow
    command at once, before Prefect is imported or its server started."""
    from flows import runtime

    runtime.newsroom(content).check()
    return runtime.open_newsroom(content)


def _flow(content: str | None, deployment: str, parameters: dict, message: str, module: str,
          call: Callable[[Any], Any]) -> Any:
    """Run one of the newsroom's flows: on the running `bantin up` (its deployment, by name) when there is one,
    else here, on a temporary Prefect server that ends with this command."""
    import importlib

    from flows import runtime
    from flows.service import ServicePaths, running

    paths = ServicePaths(runtime.newsroom(content).settings.data_dir)
    service = running(paths.data)
    if service is not None:
        import threading

        from flows.trigger import follow, submit

        name = f"{deployment}/{deployment}"
        console.print(f"[dim]Gửi lượt chạy '{name}' tới bantin đang chạy ({service.ui_url}) và chờ kết quả…[/]")
        with console.status(message + " (trên máy chủ bantin)…"):
            submitted = submit(service, paths, name, {k: v for k, v in parameters.items() if v is not None})
            # The report's modules (the whole library: most of this command's CPU) are imported while the run
            # runs on the server, not after it.
            threading.Thread(target=importlib.import_module, args=("flows.reporting",), daemon=True).start()
            return follow(service, paths, name, submitted.id)
    temporary = None
    if not os.environ.get("PREFECT_API_URL") and "prefect" not in sys.modules:
        from flows.service.temporary import TemporaryServer

        temporary = TemporaryServer(paths)
        temporary.start()
        console.print("[dim]Đang khởi động máy chủ Prefect tạm thời (trên máy bận có thể mất một lúc; "
                      "chạy sẵn 'bantin up' để khỏi chờ)…[/]")
    try:
        flows_module = importlib.import_module(module)  # while the server starts
        if temporary is not None:
            temporary.wait()
        with _Progress():
            progress.report(message)
            return call(flows_module)
    finally:
        if temporary is not None:
            temporary.stop()


@app.command()
def run(content: ContentOpt = None, day: DayOpt = None) -> None:
    """Chạy toàn bộ quy trình đêm: thu thập, chuẩn hóa, làm bản tin, đăng cổng thông tin."""
    chosen = _content(content)
    _ready(chosen)  # a mistake in content/ or a lost store stops here, before any server starts
    when = _day(day)
    report = _flow(chosen, "nightly", {"day": when.isoformat() if when else None}, "Đang chạy quy trình đêm",
                   "flows.nightly", lambda m: m.nightly(chosen, day=when))
    from flows.reporting import nightly_lines  # after the run: imported while it ran (_flow)

    console.print(nightly_lines(report))
    if not report.ok:
        _fail("Đêm nay chưa làm xong: " + "; ".join(report.problems))


@app.command()
def gather(content: ContentOpt = None,
           source: Annotated[Optional[list[str]], typer.Option("--source", "-s", help="Chỉ đọc nguồn này.")] = None) -> None:
    """Thu thập tin từ các nguồn (RSS/Atom, trang web, hộp thư)."""
    from flows import runtime
    from flows.pipeline.gathering import chosen_sources
    from flows.reporting import sources_table

    chosen = _content(content)
    runtime.newsroom(chosen).check()
    chosen_sources(runtime.newsroom(chosen), source)  # an unknown source id is refused before anything starts
    runtime.store(chosen)
    reports = _flow(chosen, "gather", {"sources": source}, "Đang thu thập tin", "flows.gather",
                    lambda m: m.gather(chosen, sources=source))
    console.print(sources_table(reports))


@app.command()
def normalise(content: ContentOpt = None) -> None:
    """Chuẩn hóa các bài mới gửi: làm sạch, gắn phong trào và xã, tìm bài trùng, tạo văn bản đọc."""
    chosen = _content(content)
    _ready(chosen)
    report = _flow(chosen, "normalise", {}, "Đang chuẩn hóa", "flows.normalise", lambda m: m.normalise(chosen))
    from flows.reporting import normalise_lines

    console.print(normalise_lines(report))


@app.command()
def publish(content: ContentOpt = None) -> None:
    """Đăng các bài đã duyệt lên cổng thông tin."""
    chosen = _content(content)
    _ready(chosen)
    report = _flow(chosen, "publish", {}, "Đang đăng tin", "flows.publish", lambda m: m.publish(chosen))
    from flows.reporting import publish_lines

    console.print(publish_lines(report))


@app.command()
def synthesise(content: ContentOpt = None, day: DayOpt = None,
               station: Annotated[Optional[list[str]], typer.Option("--station", help="Chỉ làm bản tin cho đài này.")] = None) -> None:
    """Đọc thành tiếng và ghép bản tin cho từng đài, từng buổi."""
    chosen = _content(content)
    room, _ = _ready(chosen)
    for station_id in station or ():
        room.station(station_id)
    when = _day(day)
    report = _flow(chosen, "synthesise", {"day": when.isoformat() if when else None, "stations": station},
                   "Đang làm bản tin", "flows.synthesise", lambda m: m.synthesise(chosen, day=when, stations=station))
    from flows.reporting import synthesise_lines

    console.print(synthesise_lines(report))
    if not report.ok:
        _fail(f"{len(report.failures)} bản tin không làm được.")


@app.command()
def check(content: ContentOpt = None, day: DayOpt = None,
          station: Annotated[Optional[list[str]], typer.Option("--station", help="Chỉ kiểm tra đài này.")] = None,
          listen: Annotated[bool, typer.Option("--listen", help="Nghe lại từng đoạn bằng bộ nhận dạng tiếng nói "
                                               "ngoại tuyến: báo im lặng, tạp âm, lời đọc sai.")] = False) -> None:
    """Kiểm tra các bản tin của một ngày: giải mã được, đúng thời lượng, đúng độ lớn âm thanh."""
    from flows import pipeline, runtime
    from flows.reporting import check_table

    with _Progress():
        report = pipeline.check(runtime.newsroom(_content(content)), _day(day), station)
        if listen:
            from flows.audio.listen import listen_to

            report.checks = listen_to(report.checks)
    console.print(check_table(report))
    if not report.ok:
        _fail(f"{len(report.bad)}/{len(report.checks)} bản tin không đạt.")
    console.print(f"Cả {len(report.checks)} bản tin đều đạt.")


@app.command()
def stations(content: ContentOpt = None) -> None:
    """Danh sách các đài truyền thanh và giờ phát."""
    from flows import runtime

    newsroom = runtime.newsroom(_content(content))
    table = Table(title="Các đài truyền thanh")
    for col in ("Mã", "Tên đài", "Loại", "Buổi phát", "Âm lượng", "Giọng đọc", "Nhạc"):
        table.add_column(col)
    for s in newsroom.stations:
        slots = ", ".join(f"{slot.name} {slot.time}" for slot in s.slots)
        music = ", ".join(name for name, on in (("nền", s.bed), ("chuyển tin", s.stings)) if on) or "không"
        table.add_row(s.id, s.name, "huyện" if s.is_district else "xã", slots,
                      f"{s.audio.loudness_lufs:g} LUFS, {s.audio.bitrate_kbps} kbps", " → ".join(s.audio.engines),
                      music)
    console.print(table)


@app.command()
def status(content: ContentOpt = None) -> None:
    """Tình hình kho tin: số bài theo trạng thái và lần thu thập gần nhất của từng nguồn."""
    from flows import runtime
    from flows.models import StoryState

    store = runtime.store(_content(content))
    counts = store.counts()
    table = Table(title="Kho tin")
    table.add_column("Trạng thái")
    table.add_column("Số bài", justify="right")
    for state in StoryState:
        table.add_row(state.label_vi, str(counts.get(state.value, 0)))
    table.add_row("[bold]tổng[/]", str(counts["stories"]))
    console.print(table)
    console.print(f"Lượt phát đã ghi: {counts['broadcasts']}")
    runs = Table(title="Lần thu thập gần nhất")
    for col in ("Nguồn", "Lúc", "Đọc được", "Mới", "Lỗi"):
        runs.add_column(col)
    for r in store.last_source_runs():
        runs.add_row(r.source_id, f"{r.at:%d/%m/%Y %H:%M}", str(r.gathered), str(r.new), r.error or str(r.failed))
    console.print(runs)
    from flows import pipeline

    quiet = pipeline.quiet_sources(runtime.newsroom(_content(content)), store)
    if quiet:
        console.print("[bold yellow]Nguồn lâu không có tin[/] (expect_every_days trong sources.toml):")
        for source in quiet:
            console.print(f"  - {source.message}")
    else:
        console.print("Không nguồn nào im lặng quá thời hạn thường lệ.")


@app.command()
def story(story_id: int, content: ContentOpt = None) -> None:
    """Xem một bài: nội dung, văn bản đọc (dạng nói), cảnh báo soát lỗi và lịch sử."""
    from flows import runtime

    row = runtime.store(_content(content)).story(story_id)
    console.print(f"[bold]{row.title}[/]  (bài số {row.id}, {row.state.label_vi})")
    console.print(f"Nơi nhận: {', '.join(row.audience)} · Phong trào: {', '.join(row.movements) or '—'}")
    if row.air_from and row.air_until:
        console.print(f"Thời gian phát: {row.air_from:%d/%m/%Y} – {row.air_until:%d/%m/%Y} · mức {row.priority.label_vi}"
                      + (f" · tự động duyệt lúc {row.review_until:%H:%M %d/%m/%Y} nếu không ai dừng"
                         if row.review_until and row.state.value == "normalised" else ""))
    console.print("\n[bold]Văn bản:[/]\n" + (row.body_text or row.raw_body))
    if row.spoken_override:
        console.print("\n[bold]Cách đọc sửa tay (dùng cho mọi đài):[/]\n" + row.spoken_override)
    console.print("\n[bold]Văn bản đọc:[/]\n" + (row.spoken_text or "(chưa chuẩn hóa)"))
    if row.warnings:
        console.print("\n[bold yellow]Cảnh báo soát lỗi:[/]")
        for w in row.warnings:
            console.print(f"  - {w.message}" + (f" («{w.excerpt}»)" if w.excerpt else ""))
    if row.failure:
        console.print(f"\n[bold red]Lỗi:[/] {row.failure}")
    from flows.reporting import history_lines

    console.print("\n[bold]Lịch sử:[/]")
    console.print(history_lines(row, runtime.store(_content(content)).broadcasts_of(row.id)))


@app.command()
def speak(text: Annotated[str, typer.Argument(help="Câu cần thử (đặt trong ngoặc kép).")],
          content: ContentOpt = None,
          station: Annotated[Optional[str], typer.Option(help="Đọc theo từ điển riêng của đài này.")] = None,
          dialect: Annotated[str, typer.Option(help="Giọng: north (nghìn, linh) hoặc south (ngàn, lẻ).")] = "north") -> None:
    """Thử văn bản đọc của một câu (dạng nói) và xem cảnh báo soát lỗi, trước khi sửa từ điển."""
    from flows import runtime
    from flows.text import proofread, spoken_form

    lexicon = runtime.newsroom(_content(content)).lexicon()
    console.print(spoken_form(text, dialect=dialect, lexicon=lexicon, station=station))
    for warning in proofread(text, lexicon):
        console.print(f"[yellow]Cảnh báo:[/] {warning.message} («{warning.excerpt}»)")


@app.command()
def approve(story_ids: Annotated[list[int], typer.Argument(help="Số các bài cần duyệt.")], content: ContentOpt = None,
            editor: Annotated[str, typer.Option(help="Tên biên tập viên duyệt.")] = "biên tập viên") -> None:
    """Duyệt bài để đăng và phát (nhiều bài một lúc; mỗi bài có kết quả riêng)."""
    from flows import pipeline, runtime

    _results(pipeline.approve(runtime.store(_content(content)), story_ids, editor))


@app.command()
def reject(story_ids: Annotated[list[int], typer.Argument(help="Số các bài không đăng.")],
           reason: Annotated[str, typer.Option(help="Lý do không đăng.")],
           content: ContentOpt = None, editor: str = "biên tập viên") -> None:
    """Không đăng, không phát các bài (bài vẫn được giữ trong kho)."""
    from flows import pipeline, runtime

    _results(pipeline.reject(runtime.store(_content(content)), story_ids, editor, reason))


def _results(results: list) -> None:  # type: ignore[type-arg]
    for r in results:
        console.print(r.message if r.ok else f"[red]Bài số {r.story_id}: {r.message}[/]")
    refused = [r for r in results if not r.ok]
    if refused:
        _fail(f"{len(refused)}/{len(results)} bài không thực hiện được.")


@app.command()
def stories(content: ContentOpt = None,
            waiting: Annotated[bool, typer.Option("--waiting", "-w", help="Bài cần biên tập viên xem: chờ duyệt, lỗi, có cảnh báo.")] = False,
            state: Annotated[Optional[list[str]], typer.Option("--state", help="Trạng thái: normalised, approved, failed...")] = None,
            flagged: Annotated[bool, typer.Option("--flagged", help="Chỉ bài có cảnh báo soát lỗi.")] = False,
            source: Annotated[Optional[str], typer.Option("--source", "-s", help="Mã nguồn tin.")] = None,
            commune: Annotated[Optional[str], typer.Option("--commune", help="Mã xã.")] = None,
            movement: Annotated[Optional[str], typer.Option("--movement", help="Mã phong trào.")] = None,
            since: Annotated[Optional[str], typer.Option("--since", help="Từ ngày (YYYY-MM-DD).")] = None,
            until: Annotated[Optional[str], typer.Option("--until", help="Đến ngày (YYYY-MM-DD).")] = None) -> None:
    """Danh sách bài theo bộ lọc; --waiting: những bài biên tập viên cần xem."""
    from flows import pipeline, runtime
    from flows.errors import UserError
    from flows.models import StoryState
    from flows.reporting import stories_table
    from flows.store import StoryFilter

    store = runtime.store(_content(content))
    if waiting:
        found = pipeline.waiting_for_review(store)
        title = "Bài cần xem"
    else:
        try:
            states = tuple(StoryState(s) for s in state or ())
        except ValueError:
            raise UserError(f"Trạng thái không đúng: {', '.join(state or [])}.",
                            hint="Dùng: " + ", ".join(s.value for s in StoryState)) from None
        found = pipeline.find_stories(store, StoryFilter(states=states, flagged=flagged, source=source, commune=commune,
                                                         movement=movement, since=_day(since), until=_day(until)))
        title = "Bài trong kho"
    console.print(stories_table(found, title))


@app.command()
def retract(story_ids: Annotated[list[int], typer.Argument(help="Số các bài cần rút.")],
            reason: Annotated[str, typer.Option(help="Lý do rút bài.")],
            content: ContentOpt = None, editor: str = "biên tập viên") -> None:
    """Rút bài đã duyệt, đã đăng hoặc đã phát: gỡ khỏi cổng thông tin và không phát nữa."""
    from flows import pipeline, runtime

    _results(pipeline.retract(runtime.store(_content(content)), story_ids, editor, reason))


@app.command()
def restore(story_ids: Annotated[list[int], typer.Argument(help="Số các bài cần khôi phục.")],
            reason: Annotated[str, typer.Option(help="Lý do khôi phục.")] = "",
            content: ContentOpt = None, editor: str = "biên tập viên") -> None:
    """Khôi phục bài bị từ chối hoặc đã rút; bài chờ duyệt lại."""
    from flows import pipeline, runtime

    _results(pipeline.restore(runtime.store(_content(content)), story_ids, editor, reason))


@app.command()
def edit(story_id: int, title: Annotated[Optional[str], typer.Option("--title", "-t", help="Tiêu đề mới.")] = None,
         text: Annotated[Optional[str], typer.Option("--text", help="Nội dung mới (các đoạn cách nhau một dòng trống).")] = None,
         file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Tệp văn bản chứa nội dung mới.")] = None,
         reason: Annotated[str, typer.Option(help="Lý do sửa.")] = "",
         content: ContentOpt = None, editor: str = "biên tập viên") -> None:
    """Sửa tiêu đề, nội dung một bài (giữ bản cũ trong lịch sử); văn bản đọc được làm lại."""
    from flows import pipeline, runtime

    room, store = runtime.open_newsroom(_content(content))
    body = _read_text_file(file) if file else text
    story = pipeline.edit_story(room, store, story_id, editor, title=title, text=body, reason=reason)
    console.print(f"Đã sửa bài số {story.id} (bản {story.revision}).")


@app.command()
def reading(story_id: int,
            text: Annotated[Optional[str], typer.Argument(help="Cách đọc đúng của cả bài (văn bản đọc).")] = None,
            clear: Annotated[bool, typer.Option("--clear", help="Bỏ cách đọc sửa tay.")] = False,
            content: ContentOpt = None, editor: str = "biên tập viên") -> None:
    """Đặt bằng tay cách đọc một bài cho mọi đài, dùng cho mọi lần làm bản tin sau đến khi bài được sửa."""
    from flows import pipeline, runtime
    from flows.errors import UserError

    if not clear and text is None:
        raise UserError("Cần nêu cách đọc, hoặc --clear để bỏ.")
    story = pipeline.set_reading(runtime.store(_content(content)), story_id, None if clear else text, editor)
    console.print(f"Bài số {story.id} sẽ được đọc: {story.reading[:200]}")


@app.command()
def air(story_id: int, first: Annotated[str, typer.Argument(help="Ngày đầu (YYYY-MM-DD).")],
        last: Annotated[str, typer.Argument(help="Ngày cuối (YYYY-MM-DD).")],
        weekday: Annotated[Optional[list[int]], typer.Option("--weekday", help="Chỉ phát vào thứ: 2..7, 8 = Chủ nhật.")] = None,
        content: ContentOpt = None, editor: str = "biên tập viên") -> None:
    """Đặt thời gian phát của một bài: từ ngày, đến ngày, và (nếu cần) các thứ trong tuần."""
    from flows import pipeline, runtime

    days = [d - 2 for d in weekday or []]
    story = pipeline.set_air_window(runtime.store(_content(content)), story_id, _day(first), _day(last),  # type: ignore[arg-type]
                                    editor, days)
    console.print(f"Bài số {story.id} phát từ {story.air_from:%d/%m/%Y} đến {story.air_until:%d/%m/%Y}.")


@app.command()
def priority(story_id: int, level: Annotated[str, typer.Argument(help="thường, ưu tiên hoặc khẩn.")],
             content: ContentOpt = None, editor: str = "biên tập viên") -> None:
    """Đổi mức ưu tiên phát của một bài: thường, ưu tiên, khẩn."""
    from flows import pipeline, runtime
    from flows.models import Priority

    story = pipeline.set_priority(runtime.store(_content(content)), story_id, Priority.parse(level), editor)
    console.print(f"Bài số {story.id}: mức {story.priority.label_vi}.")


@app.command()
def audience(story_id: int, to: Annotated[list[str], typer.Argument(help="'district' hoặc mã các xã.")],
             content: ContentOpt = None, editor: str = "biên tập viên") -> None:
    """Đổi nơi nhận của một bài: toàn huyện ('district') hoặc các xã được nêu."""
    from flows import pipeline, runtime

    room, store = runtime.open_newsroom(_content(content))
    story = pipeline.set_audience(room, store, story_id, to, editor)
    console.print(f"Bài số {story_id} gửi tới: {', '.join(story.audience)}.")


@app.command()
def emergency(title: Annotated[str, typer.Option("--title", "-t", help="Tiêu đề tin khẩn cấp.")],
              text: Annotated[str, typer.Option("--text", help="Nội dung cần phát (hoặc dùng --file).")] = "",
              file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Tệp văn bản chứa nội dung.")] = None,
              station: Annotated[Optional[list[str]], typer.Option("--station", help="Đài cần phát (mặc định: tất cả).")] = None,
              content: ContentOpt = None, editor: str = "biên tập viên") -> None:
    """Phát tin khẩn cấp ngay: đọc thành tiếng và làm bản tin cho các đài được chọn, ngoài lịch đêm."""
    from flows.errors import UserError

    body = _read_text_file(file) if file else text
    if not body.strip() or not title.strip():
        raise UserError("Tin khẩn cấp cần có tiêu đề và nội dung.", hint="Dùng --title và --text (hoặc --file).")
    chosen = _content(content)
    room, _ = _ready(chosen)
    for station_id in station or ():
        room.station(station_id)
    report = _flow(chosen, "emergency", {"title": title, "text": body, "stations": station, "actor": editor},
                   "Đang làm bản tin khẩn cấp", "flows.emergency",
                   lambda m: m.emergency(title, body, stations=station, content=chosen, actor=editor))
    from flows.reporting import synthesise_lines

    console.print(synthesise_lines(report))
    if not report.ok:
        _fail(f"{len(report.failures)} bản tin khẩn cấp không làm được.")


@app.command()
def watch(content: ContentOpt = None) -> None:
    """Kiểm tra các đài đã có bản tin kịp giờ chưa; báo cho tòa soạn (webhook, thư) một lần cho mỗi sự cố."""
    from flows import runtime
    from flows.pipeline import watch as watching

    report = watching.watch(*runtime.open_newsroom(_content(content)))
    for alert in report.problems:
        state = ("đã báo" if alert.key in report.told else "đã báo trước đó" if alert.key in report.known
                 else f"chưa báo được: {report.untold.get(alert.key, '')}")
        console.print(f"[yellow]{alert.station_name}[/]: {alert.reason} ({state})", highlight=False)
    if not report.problems:
        console.print("Các đài đều đã có bản tin kịp giờ.")
    if report.untold:
        _fail(f"{len(report.untold)} cảnh báo chưa gửi được; sẽ thử lại ở lần kiểm tra sau.")


@app.command()
def up(content: ContentOpt = None,
       host: Annotated[Optional[str], typer.Option(help="Địa chỉ lắng nghe (mặc định 127.0.0.1: chỉ máy này).")] = None,
       api_port: Annotated[Optional[int], typer.Option(help="Cổng của Prefect (giao diện và API; mặc định 4200).")] = None,
       web_port: Annotated[Optional[int], typer.Option(help="Cổng trang web cho các đài (mặc định 8080).")] = None,
       no_web: Annotated[bool, typer.Option("--no-web", help="Không chạy trang web cho các đài.")] = False) -> None:
    """Chạy bantin liên tục cho tòa soạn: máy chủ Prefect, các lịch chạy và trang web cho các đài; tự khởi động lại phần bị dừng."""
    import logging

    from flows import runtime
    from flows.service.parts import Addresses
    from flows.service.up import run_service

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    settings = runtime.newsroom(_content(content)).settings
    service = settings.service
    addresses = Addresses(host or service.host, api_port or service.api_port,
                          None if no_web else (web_port or service.web_port))
    run_service(settings, addresses, lambda line: console.print(line, highlight=False))
    console.print("bantin đã dừng.")


@app.command()
def down(content: ContentOpt = None) -> None:
    """Dừng bantin đang chạy (bantin up) của thư mục dữ liệu này."""
    from flows import runtime
    from flows.service.up import stop_service

    stopped = stop_service(runtime.newsroom(_content(content)).settings.data_dir)
    console.print("Không có bantin nào đang chạy." if stopped is None else f"Đã dừng bantin (tiến trình {stopped.pid}).")


@app.command("report")
def report_command(content: ContentOpt = None,
                   first: Annotated[Optional[str], typer.Option("--from", help="Từ ngày (YYYY-MM-DD hoặc dd/mm/yyyy).")] = None,
                   last: Annotated[Optional[str], typer.Option("--to", help="Đến ngày (YYYY-MM-DD hoặc dd/mm/yyyy).")] = None,
                   year: Annotated[Optional[int], typer.Option("--year", help="Cả một năm, ví dụ 2023.")] = None,
                   pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="In thêm bản PDF (cần Chromium).")] = True) -> None:
    """Báo cáo kết quả tuyên truyền thi đua của một kỳ cho Phòng Nội vụ: HTML (in A4), PDF, XLSX và CSV."""
    from flows import pipeline, runtime
    from flows.reporting import report_lines
    from flows.yearend.period import Period

    room, store = runtime.open_newsroom(_content(content))
    period = Period.chosen(first, last, year, date.today())
    files = pipeline.report(room, store, period, pdf=pdf)
    console.print(report_lines(files))
    if files.pdf_problem and not files.pdf_tool_missing:
        _fail(f"Chưa in được bản PDF: {files.pdf_problem}")


def _read_text_file(path: Path) -> str:
    from flows.errors import UserError

    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"Không đọc được tệp {path}: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise UserError(f"Tệp {path} không phải văn bản UTF-8.", hint="Lưu lại tệp với bảng mã UTF-8.") from None


# -- the stations' service (bantin serve) -----------------------------------------------------------------
@app.command()
def serve(content: ContentOpt = None,
          host: Annotated[str, typer.Option(help="Địa chỉ lắng nghe (0.0.0.0: mọi mạng của máy).")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Cổng.")] = 8080,
          workers: Annotated[int, typer.Option(help="Số tiến trình phục vụ.")] = 1,
          behind_proxy: Annotated[bool, typer.Option("--behind-proxy", help="Chạy sau nginx trên cùng máy: tin "
                                                     "tiêu đề X-Forwarded-* từ 127.0.0.1.")] = False) -> None:
    """Mở trang web cho các đài: bản tin để nghe và tải, podcast, địa chỉ cho máy nhận, báo cáo nhận tin."""
    from flows.web.server import serve as serve_app

    console.print(f"bantin phục vụ tại http://{host}:{port}/ (Ctrl+C để dừng)")
    serve_app(_content(content), host=host, port=port, workers=workers, behind_proxy=behind_proxy)


accounts_app = typer.Typer(help="Tài khoản đăng nhập trang web: vận hành đài, biên tập viên, theo dõi, quản trị.",
                           no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")


def _accounts(content: Path | None):  # type: ignore[no-untyped-def]
    from flows import runtime
    from flows.store.accounts import Accounts

    return Accounts(runtime.store(_content(content)))


def _password(generate: bool) -> tuple[str, bool]:
    from flows.store.accounts import new_password

    if generate:
        return new_password(), True
    return typer.prompt("Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu"), False


@accounts_app.command("add")
def accounts_add(username: Annotated[str, typer.Argument(help="Tên đăng nhập (chữ thường không dấu).")],
                 role: Annotated[str, typer.Option("--role", "-r", help="operator, editor, viewer hoặc admin.")],
                 station: Annotated[Optional[str], typer.Option(help="Mã đài (chỉ cho vai trò operator).")] = None,
                 name: Annotated[str, typer.Option(help="Họ tên.")] = "",
                 generate: Annotated[bool, typer.Option("--generate", "-g", help="bantin tạo mật khẩu và in ra một lần.")] = False,
                 content: ContentOpt = None) -> None:
    """Thêm tài khoản (hỏi mật khẩu, hoặc --generate)."""
    from flows import runtime

    known = {s.id for s in runtime.newsroom(_content(content)).stations}
    password, made = _password(generate)
    account = _accounts(content).add(username, password, role, station_id=station, name=name,
                                     known_stations=known, actor="bantin accounts")
    console.print(f"Đã tạo tài khoản '{account.username}' ({account.role.label_vi}"
                  + (f", đài {account.station_id}" if account.station_id else "") + ").")
    if made:
        console.print(f"Mật khẩu: {password}")


@accounts_app.command("list")
def accounts_list(content: ContentOpt = None) -> None:
    """Danh sách tài khoản."""
    table = Table(title="Tài khoản")
    for col in ("Tên đăng nhập", "Họ tên", "Vai trò", "Đài", "Trạng thái"):
        table.add_column(col)
    for a in _accounts(content).list():
        table.add_row(a.username, a.name, a.role.label_vi, a.station_id or "", "đang dùng" if a.active else "đã khóa")
    console.print(table)


@accounts_app.command("disable")
def accounts_disable(username: str, content: ContentOpt = None) -> None:
    """Khóa một tài khoản (các phiên đăng nhập của tài khoản kết thúc ngay)."""
    _accounts(content).set_active(username, False, actor="bantin accounts")
    console.print(f"Đã khóa tài khoản '{username}'.")


@accounts_app.command("enable")
def accounts_enable(username: str, content: ContentOpt = None) -> None:
    """Mở lại một tài khoản đã khóa."""
    _accounts(content).set_active(username, True, actor="bantin accounts")
    console.print(f"Đã mở lại tài khoản '{username}'.")


@accounts_app.command("reset")
def accounts_reset(username: str, content: ContentOpt = None,
                   generate: Annotated[bool, typer.Option("--generate", "-g", help="bantin tạo mật khẩu và in ra một lần.")] = False) -> None:
    """Đặt lại mật khẩu (mọi phiên đăng nhập của tài khoản kết thúc)."""
    accounts = _accounts(content)
    accounts.get(username)  # an unknown name is refused before the password is asked
    password, made = _password(generate)
    accounts.reset_password(username, password, actor="bantin accounts")
    console.print(f"Đã đặt mật khẩu mới cho '{username}'.")
    if made:
        console.print(f"Mật khẩu: {password}")


submission_keys_app = typer.Typer(help="Khóa gửi tin của các đơn vị (nguồn kind = \"submission\").",
                                  no_args_is_help=True)
app.add_typer(submission_keys_app, name="submission-keys")


def _submission_unit(source_id: str, content: Path | None):  # type: ignore[no-untyped-def]
    from flows import runtime

    newsroom, store = runtime.open_newsroom(_content(content))
    source = newsroom.find_source(source_id)
    if source is None or source.kind != "submission":
        units = ", ".join(s.id for s in newsroom.sources if s.kind == "submission") or "chưa có"
        raise UserError(f"Không có nguồn gửi tin trực tiếp '{source_id}'.", where="sources.toml",
                        hint=f"Thêm nguồn với kind = \"submission\"; các nguồn gửi tin hiện có: {units}.")
    return newsroom, store, source


@submission_keys_app.command("issue")
def submission_keys_issue(source: Annotated[str, typer.Argument(help="Mã nguồn (đơn vị gửi tin).")],
                          content: ContentOpt = None) -> None:
    """Cấp khóa mới cho đơn vị (khóa cũ, nếu có, thôi dùng ngay); in khóa và địa chỉ gửi tin một lần."""
    newsroom, store, unit = _submission_unit(source, content)
    key = store.issue_submission_key(unit.id, actor="bantin submission-keys")
    base = newsroom.settings.web.public_url.rstrip("/") or "http://<địa chỉ bantin serve>"
    console.print(f"Khóa gửi tin của {unit.name}: {key.secret}")
    console.print(f"Trang gửi tin trên điện thoại: {base}/gui-tin/{key.secret}")
    console.print(f"Phần mềm của đơn vị: POST {base}/api/v1/submissions với Authorization: Bearer {key.secret}")
    console.print("bantin không lưu khóa này; nếu mất, cấp khóa mới.")


@submission_keys_app.command("revoke")
def submission_keys_revoke(source: Annotated[str, typer.Argument(help="Mã nguồn (đơn vị gửi tin).")],
                           content: ContentOpt = None) -> None:
    """Thu hồi khóa gửi tin của đơn vị (địa chỉ cũ thôi nhận bài ngay)."""
    _, store, unit = _submission_unit(source, content)
    store.revoke_submission_key(unit.id, actor="bantin submission-keys")
    console.print(f"Đã thu hồi khóa gửi tin của {unit.name}.")


@submission_keys_app.command("list")
def submission_keys_list(content: ContentOpt = None) -> None:
    """Các khóa gửi tin đã cấp (chỉ hiện 4 ký tự cuối)."""
    from flows import runtime

    table = Table(title="Khóa gửi tin")
    for col in ("Nguồn", "Khóa", "Cấp lúc", "Trạng thái"):
        table.add_column(col)
    for key in runtime.store(_content(content)).submission_keys():
        table.add_row(key.source_id, f"…{key.tail}", f"{key.issued_at:%d/%m/%Y %H:%M} UTC",
                      "đang dùng" if key.live else "đã thu hồi")
    console.print(table)


@app.command()
def retention(content: ContentOpt = None,
              days: Annotated[Optional[int], typer.Option(help="Giữ tệp MP3 bao nhiêu ngày (mặc định: theo bantin.toml).")] = None,
              dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ liệt kê, không xóa.")] = False) -> None:
    """Xóa tệp MP3 bản tin quá thời hạn lưu trữ; giữ tệp mô tả, lời đọc và bản tin mới nhất của mỗi đài."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from flows import runtime
    from flows.audio.archive import remove_old_bulletins

    settings = runtime.newsroom(_content(content)).settings
    today = datetime.now(ZoneInfo(settings.district.timezone)).date()
    report = remove_old_bulletins(settings.audio.output, settings.web.retention_days if days is None else days,
                                  today, dry_run)
    verb = "Sẽ xóa" if dry_run else "Đã xóa"
    console.print(f"{verb} {len(report.removed)} tệp bản tin trước ngày {report.cutoff:%d/%m/%Y} "
                  f"({report.freed_bytes / 1_048_576:.1f} MB); giữ {len(report.kept_latest)} bản tin mới nhất của các đài.")
    for failure in report.failures:
        console.print(f"[yellow]Không xóa được:[/] {failure}")

def main() -> None:
    app()


if __name__ == "__main__":
    main()
