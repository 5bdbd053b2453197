"""The worker process of a run started from the desk: `python -m flows.web.worker CONTENT RUN_FILE`.

It calls the newsroom library (the same operations as the CLI, without an orchestrator), writes its progress
into the run's file as the stages report it, and the result as the CLI prints it.
"""

from __future__ import annotations

import io
import os
import sys
import time
import traceback
from datetime import date, datetime, timezone
from pathlib import Path

from flows import pipeline, progress, runtime
from flows.errors import BantinError
from flows.web.runbook import Run, RunBook


def _text(renderable: object) -> list[str]:
    """A report as the CLI shows it, as plain lines."""
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=160, color_system=None, force_terminal=False).print(renderable)
    return out.getvalue().rstrip().splitlines()


def _day(params: dict) -> date | None:  # type: ignore[type-arg]
    return date.fromisoformat(params["day"]) if params.get("day") else None


def work(content: str, run: Run) -> tuple[list[str], list[str]]:
    """Do the run's work; returns (result lines, problems)."""
    from flows import reporting

    room, store = runtime.newsroom(content), runtime.store(content)
    params = run.params
    stations = params.get("stations") or None
    if run.kind == "nightly":
        report = pipeline.nightly(room, store, day=_day(params))
        return _text(reporting.nightly_lines(report)), list(report.problems)
    if run.kind == "gather":
        sources = pipeline.gather(room, store)
        return _text(reporting.sources_table(sources)), [f"{r.source_name}: {reason}" for r in sources
                                                          for reason in r.reasons]
    if run.kind == "normalise":
        normalised = pipeline.normalise(room, store)
        released = pipeline.release_due(room, store)
        lines = _text(reporting.normalise_lines(normalised))
        if released:
            lines.append("Lên sóng không qua biên tập viên (hết thời gian xem): bài số "
                         + ", ".join(map(str, released)) + ".")
        return lines, [f"Bài số {k}: {v}" for k, v in normalised.failed.items()]
    if run.kind == "synthesise":
        synthesised = pipeline.synthesise(room, store, day=_day(params), stations=stations)
        return _text(reporting.synthesise_lines(synthesised)), list(synthesised.failures)
    if run.kind == "publish":
        published = pipeline.publish(room, store)
        return _text(reporting.publish_lines(published)), []
    if run.kind == "check":
        checked = pipeline.check(room, _day(params), stations)
        return _text(reporting.check_table(checked)), [f"{c.path.parent.parent.name}/{c.path.parent.name}/{c.path.name}: {'; '.join(c.problems)}"
                                                  for c in checked.bad]
    if run.kind == "emergency":
        emergency = pipeline.emergency(room, store, params.get("title", ""), params.get("text", ""),
                                       stations=stations, actor=run.actor)
        return _text(reporting.synthesise_lines(emergency)), list(emergency.failures)
    raise ValueError(run.kind)


def main(content: str, run_file: str) -> int:
    path = Path(run_file)
    book = RunBook(path.parent)
    run = book.get(path.stem)
    run.pid, run.state, run.step = os.getpid(), "running", "Bắt đầu"
    book.save(run)
    last = [0.0]

    def on_progress(message: str, done: int, total: int) -> None:
        run.step, run.done, run.total = message, done, total
        now = time.monotonic()
        if now - last[0] > 0.3 or done == total:  # the page refreshes every few seconds; no need for more
            last[0] = now
            book.save(run)

    progress.listen(on_progress)
    try:
        run.lines, run.problems = work(content, run)
        run.state = "failed" if run.problems and run.kind not in ("gather", "normalise") else "done"
    except BantinError as exc:
        run.state, run.problems = "failed", [exc.describe()]
    except Exception:  # a bug: the editor sees that it failed, the log keeps the traceback
        traceback.print_exc()
        run.state, run.problems = "failed", ["Lỗi chưa lường trước; chi tiết trong nhật ký của lần chạy."]
    finally:
        progress.stop_listening(on_progress)
    run.step, run.finished_at = "Xong" if run.state == "done" else "Dừng vì lỗi", datetime.now(timezone.utc).isoformat()
    book.save(run)
    return 0 if run.state == "done" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
