"""Where a running `bantin up` is written down, and how the CLI finds it.

One service per data folder: `bantin up` holds an exclusive lock on data/bantin-up.lock for as long as it
runs (the kernel drops the lock when the process ends, however it ends), and writes its addresses to
data/bantin-up.json. A state file whose lock nobody holds is left over from a killed service and ignored.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flows.errors import ConflictError


@dataclass(frozen=True)
class ServicePaths:
    """The service's files, all inside the newsroom's data folder."""

    data: Path

    @property
    def lock(self) -> Path:
        return self.data / "bantin-up.lock"

    @property
    def state(self) -> Path:
        return self.data / "bantin-up.json"

    @property
    def prefect_home(self) -> Path:
        return self.data / "prefect"

    @property
    def results(self) -> Path:
        return self.prefect_home / "results"

    @property
    def logs(self) -> Path:
        return self.data / "logs"

    def prefect_database(self) -> str:
        return f"sqlite+aiosqlite:///{self.prefect_home / 'prefect.db'}"


@dataclass
class ServiceState:
    pid: int
    content: str
    api_url: str  # Prefect's API (…/api); its UI is at the same address without /api
    web_url: str = ""  # the stations' web app, when it runs
    started: float = field(default_factory=time.time)
    groups: dict[str, int] = field(default_factory=dict)  # part -> process group, to clean up after a kill

    @property
    def ui_url(self) -> str:
        return self.api_url.removesuffix("/api")

    def save(self, paths: ServicePaths) -> None:
        tmp = paths.state.with_name(paths.state.name + ".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, paths.state)

    @classmethod
    def load(cls, paths: ServicePaths) -> "ServiceState | None":
        try:
            return cls(**json.loads(paths.state.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None


class ServiceLock:
    """The exclusive lock `bantin up` holds while it runs."""

    def __init__(self, paths: ServicePaths) -> None:
        self.paths = paths
        self._fd: int | None = None

    def acquire(self) -> None:
        self.paths.data.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.paths.lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            state = ServiceState.load(self.paths)
            where = f" (tiến trình {state.pid}, Prefect {state.ui_url})" if state else ""
            raise ConflictError(f"bantin đã đang chạy cho thư mục dữ liệu {self.paths.data}{where}.",
                                hint="Dùng luôn bản đang chạy, hoặc dừng nó bằng: bantin down") from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def lock_held(paths: ServicePaths) -> bool:
    """True while some `bantin up` holds the lock of this data folder."""
    try:
        fd = os.open(paths.lock, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def running(data: Path) -> ServiceState | None:
    """The `bantin up` serving this data folder, or None when there is none."""
    paths = ServicePaths(data)
    if not paths.state.is_file() or not lock_held(paths):
        return None
    return ServiceState.load(paths)


def healthy(url: str, timeout: float = 3.0) -> bool:
    """An HTTP GET that answers 2xx."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:  # noqa: S310 - our own loopback address
            return 200 <= reply.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


def wait_healthy(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if healthy(url):
            return True
        time.sleep(0.3)
    return False
