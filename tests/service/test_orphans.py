"""A flow command killed outright (SIGKILL) while no `bantin up` runs leaves no Prefect server behind."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from tests.service.helpers import BIN, ROOT, env_for


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ", 1)[1][0] != "Z"


def test_a_killed_run_leaves_no_server(content_dir: Path) -> None:
    run = subprocess.Popen([str(BIN / "bantin"), "run", "--content", str(content_dir), "--date", "2023-12-01"],
                           cwd=ROOT, env=env_for(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = None
    deadline = time.monotonic() + 600
    while server is None and time.monotonic() < deadline and run.poll() is None:
        server = next((c for c in _children(run.pid) if "prefect.server.api.server:create_app" in _cmdline(c)), None)
        time.sleep(0.05)
    assert server is not None, "the command did not start its temporary Prefect server"
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 120  # a hang guard: the kernel tells the server at once
    while _alive(server) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(server), f"Prefect server {server} outlived the killed command: {_cmdline(server)}"
