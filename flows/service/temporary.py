"""A temporary Prefect server for one CLI command when no `bantin up` is running.

Prefect would start one itself, as a plain child process that outlives a `bantin run` killed with
SIGKILL and keeps its port and database open. This one is started the same way (Prefect's own app,
without UI or background services) but as a child that dies with the command (processes.spawn), in the
newsroom's data folder, and stopped when the command ends.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from flows.errors import OperationalError
from flows.service import processes
from flows.service.state import ServicePaths, wait_healthy

STARTUP_SECONDS = 300.0  # a busy 2-core machine took more than Prefect's default 20 s


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TemporaryServer:
    def __init__(self, paths: ServicePaths) -> None:
        self.paths = paths
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> None:
        """Start the server and point this process's Prefect at it (before Prefect is imported)."""
        self.paths.prefect_home.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PREFECT_HOME": str(self.paths.prefect_home),
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "0",
               "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        argv = [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
                "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on"]
        self.process = processes.spawn(argv, env, self.paths.logs / "temporary-server.log", cwd=self.paths.data)
        os.environ["PREFECT_API_URL"] = self.api_url
        os.environ["PREFECT_HOME"] = str(self.paths.prefect_home)

    def wait(self) -> None:
        if not wait_healthy(f"{self.api_url}/health", STARTUP_SECONDS):
            self.stop()
            raise OperationalError("Máy chủ Prefect tạm thời không khởi động được.",
                                   hint=f"Xem {self.paths.logs / 'temporary-server.log'}; hoặc chạy sẵn: bantin up",
                                   transient=True)

    def stop(self) -> None:
        if self.process is not None:
            processes.stop(self.process, timeout=10)
            self.process = None
        os.environ.pop("PREFECT_API_URL", None)
