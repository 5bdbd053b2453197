"""Child processes that never outlive the process that started them.

A part of `bantin up` (or the temporary Prefect server of one CLI command) is started in a process group
of its own, so stopping it stops what it started too (the runner's flow-run processes). On Linux the
kernel also sends it SIGTERM when its parent dies, even by SIGKILL, so a killed `bantin` leaves no server
behind listening on a port.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

PR_SET_PDEATHSIG = 1


def _die_with(parent: int):  # type: ignore[no-untyped-def]
    def preexec() -> None:  # runs in the child between fork and exec
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)
    return preexec


def spawn(argv: list[str], env: Mapping[str, str], log: Path | None = None, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """Start argv in its own process group, tied to this process's life; output appended to `log`."""
    out: IO[bytes] | int = subprocess.DEVNULL
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        out = open(log, "ab")  # noqa: SIM115 - the child keeps it; closed below in this process
    try:
        # PDEATHSIG fires when the *thread* that forked exits: callers start children from a thread that
        # lives as long as they do (the main thread of `bantin up` or of a CLI command).
        return subprocess.Popen(argv, env=dict(env), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                cwd=cwd, start_new_session=True, preexec_fn=_die_with(os.getpid()))
    finally:
        if not isinstance(out, int):
            out.close()


def stop(process: subprocess.Popen[bytes], timeout: float = 20.0) -> int | None:
    """SIGTERM the child's whole group, then SIGKILL what is left after `timeout`; returns its exit code."""
    _signal_group(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        _signal_group(process.pid, signal.SIGKILL)
        process.wait()
    # Grandchildren that ignored SIGTERM (a flow run still writing) do not outlive the part either.
    if group_alive(process.pid):
        time.sleep(0.5)
        _signal_group(process.pid, signal.SIGKILL)
    return process.returncode


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def kill_group(pgid: int) -> None:
    """Stop a process group left by a `bantin up` that was itself killed (its parts were group leaders)."""
    _signal_group(pgid, signal.SIGTERM)
    for _ in range(50):
        if not group_alive(pgid):
            return
        time.sleep(0.1)
    _signal_group(pgid, signal.SIGKILL)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
