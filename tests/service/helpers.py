"""Helpers for the tests that run bantin as real processes: projects copied from the session's demo night,
the bare nightly run in a process of its own, free ports."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# The bare library's nightly run, as a separate process. It imports everything first, then waits for the
# go-file (if given) so that two processes start the night at the same moment.
NIGHT = r"""
import os, sys, time
from datetime import date
from flows import pipeline, runtime
content, day = sys.argv[1], date.fromisoformat(sys.argv[2])
go = sys.argv[3] if len(sys.argv) > 3 else ""
while go and not os.path.exists(go):
    time.sleep(0.005)
report = pipeline.nightly(*runtime.open_newsroom(content), day=day)
sys.exit(0 if report.ok else 3)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def copy_project(demo_night: dict, dest: Path, *, store: bool = True, cache: bool = True) -> Path:
    """A project folder made from the demo night's: its content, and (optionally) its store and speech cache,
    without the bulletins and portal (a run must write them again)."""
    source = Path(demo_night["content"])
    content = dest / "project" / "content"
    shutil.copytree(source, content)
    data = content.parent / "data"
    data.mkdir()
    if cache:
        shutil.copytree(source.parent / "data" / "tts_cache", data / "tts_cache")
    if store:
        with sqlite3.connect(source.parent / "data" / "bantin.sqlite3") as src, \
                sqlite3.connect(data / "bantin.sqlite3") as dst:
            src.backup(dst)
    return content


def env_for(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BANTIN_"))}
    env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", PYTHONUNBUFFERED="1", COLUMNS="200")
    env.update(extra)
    return env


def start_night(content: Path, day: str, go: Path | None = None, **env: str) -> subprocess.Popen[str]:
    argv = [sys.executable, "-c", NIGHT, str(content), day] + ([str(go)] if go else [])
    return subprocess.Popen(argv, cwd=ROOT, env=env_for(**env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def bantin(*args: str, timeout: float = 900, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "bantin"), *args], cwd=ROOT, env=env_for(**env), capture_output=True,
                          text=True, timeout=timeout)
