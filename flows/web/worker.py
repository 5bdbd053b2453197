"""The worker process of a run started from the desk: `python -m flows.web.worker CONTENT RUN_FILE`.

When `bantin up` runs for this newsroom, it asks Prefect's server for a run of the matching deployment (so the
run shows in Prefect's UI and obeys the same locks as scheduled runs) and follows it; otherwise it calls the
newsroom library itself (the same operations as the CLI, without an orchestrator). Either way it writes the
progress into the run's file and, at the end, the result as the CLI prints it.
"""

from __future__ import annotations

import io
import os
import sys
import time
import traceback
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from flows import pipeline, progress, runtime
from flows.content import Newsroom
from flows.errors import BantinError
from flows.service import ServicePaths, ServiceState, running
from flows.store import Store
from flows.web.runbook import Run, RunBook


def _text(renderable: object) -> list[str]:
    """A report as the CLI shows it, as plain lines."""
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=160, color_system=None, force_terminal=False).print(renderable)
    return out.getvalue().rstrip().splitlines()


def _day(params: dict) -> date | None:
    return date.fromisoformat(params["day"]) if params.get("day") else None


# The desk's kinds that `bantin up` serves as deployments (the check is quick and runs here).
DEPLOYED = {"nightly", "gather", "normalise", "synthesise", "publish", "emergency"}


def work(content: str, run: Run, book: RunBook) -> tuple[list[str], list[str]]:
    """Do the run's work: on the running `bantin up` as its deployment when there is one, else here;
    returns (result lines, problems)."""
    room, store = runtime.newsroom(content), runtime.store(content)
    paths = ServicePaths(room.settings.data_dir)
    service = running(paths.data) if run.kind in DEPLOYED else None
    report = on_service(content, run, book, service, paths) if service else here(room, store, run)
    if run.kind == "normalise":
        released = pipeline.release_due(room, store)  # what the CLI's normalise also does
        return render(run.kind, report, released)
    return render(run.kind, report)


def here(room: Newsroom, store: Store, run: Run) -> Any:
    """The run's work in this process, through the newsroom library."""
    params, stations = run.params, run.params.get("stations") or None
    if run.kind == "nightly":
        return pipeline.nightly(room, store, day=_day(params))
    if run.kind == "gather":
        return pipeline.gather(room, store)
    if run.kind == "normalise":
        return pipeline.normalise(room, store)
    if run.kind == "synthesise":
        return pipeline.synthesise(room, store, day=_day(params), stations=stations)
    if run.kind == "publish":
        return pipeline.publish(room, store)
    if run.kind == "check":
        return pipeline.check(room, _day(params), stations)
    if run.kind == "emergency":
        return pipeline.emergency(room, store, params.get("title", ""), params.get("text", ""),
                                  stations=stations, actor=run.actor)
    raise ValueError(run.kind)


def on_service(content: str, run: Run, book: RunBook, service: ServiceState, paths: ServicePaths) -> Any:
    """The run as a deployment of the running `bantin up`: it shows in Prefect's UI, obeys the same locks
    as the scheduled runs, and this process only follows it and writes its progress."""
    from flows.trigger import follow, submit

    # Only what each deployment's flow takes (Prefect refuses unknown parameters); empty choices mean "all".
    given = {k: v for k, v in run.params.items() if v not in (None, [], "")}
    takes = {"nightly": ("day",), "synthesise": ("day", "stations"), "emergency": ("title", "text", "stations")}
    params: dict[str, Any] = {k: given[k] for k in takes.get(run.kind, ()) if k in given}
    params["content"] = content
    if run.kind == "emergency":
        params["actor"] = run.actor
    deployment = f"{run.kind}/{run.kind}"
    submitted = submit(service, paths, deployment, params)
    run.prefect_url = f"{service.ui_url}/runs/flow-run/{submitted.id}"
    run.step = "Đã gửi tới máy chủ Prefect"
    book.save(run)
    return follow(service, paths, deployment, submitted.id, progress.report)


def render(kind: str, r: Any, released: list[int] | None = None) -> tuple[list[str], list[str]]:
    """A run's report as the CLI prints it, and its problems."""
    from flows import reporting

    if kind == "nightly":
        return _text(reporting.nightly_lines(r)), list(r.problems)
    if kind == "gather":
        return _text(reporting.sources_table(r)), [f"{s.source_name}: {reason}"
                                                   for s in r for reason in s.reasons]
    if kind == "normalise":
        lines = _text(reporting.normalise_lines(r))
        if released:
            lines.append("Lên sóng không qua biên tập viên (hết thời gian xem): bài số "
                         + ", ".join(map(str, released)) + ".")
        return lines, [f"Bài số {k}: {v}" for k, v in r.failed.items()]
    if kind in ("synthesise", "emergency"):
        return _text(reporting.synthesise_lines(r)), list(r.failures)
    if kind == "publish":
        return _text(reporting.publish_lines(r)), []
    if kind == "check":
        return _text(reporting.check_table(r)), [
            f"{c.path.parent.parent.name}/{c.path.parent.name}/{c.path.name}: {'; '.join(c.problems)}"
            for c in r.bad]
    raise ValueError(kind)


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
        run.lines, run.problems = work(content, run, book)
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
