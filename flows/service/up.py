"""`bantin up` and `bantin down`: the whole service of one newsroom, in the foreground, until stopped."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Callable
from pathlib import Path

from flows.errors import OperationalError, UserError
from flows.service import processes
from flows.service.parts import Addresses, has_web_app, newsroom_parts
from flows.service.state import ServiceLock, ServicePaths, ServiceState, lock_held, running
from flows.service.supervisor import Supervisor
from flows.settings import Settings

OUR_COMMANDS = ("prefect server start", "flows.deployments", "flows.cli serve")


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: TIME_WAIT is no obstacle
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def clean_after_kill(paths: ServicePaths) -> list[str]:
    """Stop the parts a killed `bantin up` left running (only processes that are really ours)."""
    old = ServiceState.load(paths)
    cleaned: list[str] = []
    if old is None:
        return cleaned
    for name, pgid in old.groups.items():
        if processes.group_alive(pgid) and any(c in _cmdline(pgid) for c in OUR_COMMANDS):
            processes.kill_group(pgid)
            cleaned.append(name)
    return cleaned


def _log_tail(path: Path, lines: int = 5) -> str:
    try:
        return " | ".join(path.read_text(errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return ""


def run_service(settings: Settings, addresses: Addresses, echo: Callable[[str], None]) -> None:
    """Start every part, keep them running until SIGTERM/SIGINT (or `bantin down`), then stop them."""
    paths = ServicePaths(settings.data_dir)
    lock = ServiceLock(paths)
    lock.acquire()
    try:
        for name in clean_after_kill(paths):
            echo(f"Đã dừng phần '{name}' còn sót lại từ lần chạy trước bị tắt ngang.")
        ports = [("Prefect", addresses.api_port)] + ([("trang các đài", addresses.web_port)] if addresses.web_port else [])
        for what, port in ports:
            if port is not None and not _port_free(addresses.host, port):
                raise UserError(f"Cổng {port} ({what}) trên {addresses.host} đang được chương trình khác dùng.",
                                hint="Chọn cổng khác (--api-port, --web-port) hoặc dừng chương trình đang dùng cổng đó.")
        if addresses.web_port and not has_web_app():
            echo("Bản bantin này chưa có trang web cho các đài ('bantin serve'): chỉ chạy Prefect và các lịch chạy.")
            addresses = Addresses(addresses.host, addresses.api_port, None)
        paths.prefect_home.mkdir(parents=True, exist_ok=True)
        state = ServiceState(pid=os.getpid(), content=str(settings.content), api_url=addresses.api_url,
                             web_url=addresses.web_url)
        supervisor = Supervisor(newsroom_parts(settings, addresses, paths), paths.logs)

        def remember(groups: dict[str, int]) -> None:
            state.groups = groups
            state.save(paths)

        supervisor.on_change = remember

        def stop_on(signum: int, _frame: object) -> None:
            supervisor.stopping.set()

        previous = {sig: signal.signal(sig, stop_on) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
        try:
            echo(f"Đang khởi động Prefect (cơ sở dữ liệu trong {paths.prefect_home}) và các lịch chạy…")
            failed = supervisor.start()
            if failed and not supervisor.stopping.is_set():
                tail = _log_tail(paths.logs / f"{failed[0]}.log")
                raise OperationalError(f"Không khởi động được phần '{failed[0]}' của bantin."
                                       + (f" Nhật ký: {tail}" if tail else ""),
                                       hint=f"Xem {paths.logs / (failed[0] + '.log')}.")
            echo(f"bantin đang chạy. Prefect: {state.ui_url}" + (f" · trang các đài: {state.web_url}" if state.web_url else "")
                 + " · dừng: bantin down (hoặc Ctrl+C)")
            supervisor.watch()
        finally:
            supervisor.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            paths.state.unlink(missing_ok=True)
    finally:
        lock.release()


def stop_service(data: Path, wait: float = 120.0) -> ServiceState | None:
    """Ask the `bantin up` of this data folder to stop, and wait until it has; None when none runs."""
    paths = ServicePaths(data)
    state = running(data)
    if state is None:
        return None
    try:
        os.kill(state.pid, signal.SIGTERM)
    except ProcessLookupError:
        return state
    deadline = time.monotonic() + wait
    while lock_held(paths):
        if time.monotonic() > deadline:
            raise OperationalError(f"bantin (tiến trình {state.pid}) chưa dừng sau {wait:.0f} giây.",
                                   hint=f"Dừng hẳn bằng: kill {state.pid}")
        time.sleep(0.2)
    return state
