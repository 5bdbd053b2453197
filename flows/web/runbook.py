"""Runs started from the desk: what was asked, by whom, how far it got, and what it came to.

Each run is one JSON file under <data>/desk-runs/ (written whole, then renamed, so a reader never sees half of
one), updated by the worker process as it goes. The web app only starts workers and reads these files, so a
run survives a restart of the server and the server never waits for a run.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from flows.audio.atomic import write_atomic
from flows.errors import NotFoundError, UserError

# What the desk can start, in the editor's words.
KINDS = {
    "nightly": "Chạy cả đêm (lấy tin, chuẩn hóa, làm bản tin, đăng)",
    "gather": "Lấy tin từ các nguồn",
    "normalise": "Chuẩn hóa bài mới",
    "synthesise": "Làm bản tin",
    "publish": "Đăng lên cổng thông tin",
    "check": "Kiểm tra bản tin",
    "emergency": "Phát tin khẩn cấp",
}
_workers: dict[str, subprocess.Popen] = {}  # type: ignore[type-arg]
STATES = {"waiting": "đang chờ", "running": "đang chạy", "done": "xong", "failed": "lỗi"}


@dataclass
class Run:
    id: str
    kind: str
    actor: str
    started_at: str  # ISO, UTC
    params: dict[str, Any] = field(default_factory=dict)
    state: str = "waiting"
    step: str = ""  # what the worker is doing now
    done: int = 0
    total: int = 0
    finished_at: str = ""
    lines: list[str] = field(default_factory=list)  # the result, as the CLI would print it
    problems: list[str] = field(default_factory=list)  # failures, with their reasons
    pid: int = 0
    prefect_url: str = ""  # the run on Prefect's server, when `bantin up` made it

    @property
    def label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def state_vi(self) -> str:
        return STATES.get(self.state, self.state)

    @property
    def running(self) -> bool:
        return self.state in ("waiting", "running")

    @property
    def started(self) -> datetime:
        return datetime.fromisoformat(self.started_at)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class RunBook:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, run_id: str) -> Path:
        if not run_id.replace("-", "").isalnum() or len(run_id) > 40:
            raise NotFoundError("Không có lần chạy này.")
        return self.folder / f"{run_id}.json"

    def save(self, run: Run) -> None:
        write_atomic(self.path(run.id), json.dumps(asdict(run), ensure_ascii=False, indent=1).encode("utf-8"))

    def get(self, run_id: str) -> Run:
        try:
            data = json.loads(self.path(run_id).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise NotFoundError(f"Không có lần chạy '{run_id[:40]}'.") from None
        run = Run(**data)
        if run.running and run.pid and not _alive(run.pid):
            run = Run(**json.loads(self.path(run_id).read_text(encoding="utf-8")))  # it may have just finished
        if run.running and run.pid and not _alive(run.pid):
            # The worker died without writing its end (killed, machine restarted): say so instead of "running".
            run.state, run.problems = "failed", [*run.problems, "Tiến trình chạy đã dừng giữa chừng."]
        return run

    def recent(self, days: int = 7) -> list[Run]:
        since = datetime.now(timezone.utc) - timedelta(days=days)
        runs = []
        for path in self.folder.glob("*.json") if self.folder.is_dir() else ():
            try:
                run = self.get(path.stem)
            except (ValueError, TypeError, NotFoundError):
                continue  # a file someone else put there
            if run.started >= since:
                runs.append(run)
        return sorted(runs, key=lambda r: r.started_at, reverse=True)

    def start(self, content: Path, kind: str, actor: str, params: dict[str, Any]) -> Run:
        """Write the run's file and start its worker process; returns at once."""
        if kind not in KINDS:
            raise UserError(f"Không có việc '{kind[:30]}'.", hint="Chọn một việc trong danh sách.")
        now = datetime.now(timezone.utc)
        run = Run(id=f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}", kind=kind, actor=actor,
                  started_at=now.isoformat(), params=params)
        self.save(run)
        log = self.folder / f"{run.id}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen([sys.executable, "-m", "flows.web.worker", str(content), str(self.path(run.id))],
                                       stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True, env={**os.environ, "BANTIN_CONTENT": str(content)})
        _workers[run.id] = process  # kept so the finished worker is reaped, not left a zombie
        return run


def _alive(pid: int) -> bool:
    for run_id, process in list(_workers.items()):
        if process.pid == pid:
            if process.poll() is None:
                return True
            del _workers[run_id]
            return False
    try:
        os.kill(pid, 0)  # a worker started by another server process (or before a restart)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
