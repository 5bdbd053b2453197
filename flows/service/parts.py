"""The parts of a running newsroom on one machine, as commands the supervisor starts.

    server       Prefect's server and UI (`prefect server start`), its own database in data/prefect/
    deployments  the runner that serves every deployment from code (python -m flows.deployments)
    web          the stations' web app (`bantin serve`), when this bantin has it
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from flows.service.state import ServicePaths
from flows.service.supervisor import Part
from flows.settings import Settings


@dataclass(frozen=True)
class Addresses:
    host: str
    api_port: int
    web_port: int | None  # None: no web app

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.api_port}/api"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}/" if self.web_port else ""


def prefect_env(paths: ServicePaths, settings: Settings, api_url: str) -> dict[str, str]:
    """What every Prefect process of this newsroom shares: its home, database, results and API."""
    env = {
        "PREFECT_HOME": str(paths.prefect_home),
        "PREFECT_API_URL": api_url,
        "PREFECT_RESULTS_LOCAL_STORAGE_PATH": str(paths.results),
        # Flow results are kept so the CLI can show the report of a run it triggered; the library's steps
        # (tasks) opt out in flows/orchestration.py.
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "true",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"),
        "PREFECT_SERVER_LOGGING_LEVEL": os.environ.get("PREFECT_SERVER_LOGGING_LEVEL", "WARNING"),
        # The runner asks for runs this often; a triggered run starts within about this time.
        "PREFECT_RUNNER_POLL_FREQUENCY": str(max(1, round(settings.service.poll_seconds))),
    }
    env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = prefect_database_url(
        os.environ.get("PREFECT_SERVER_DATABASE_CONNECTION_URL")
        or os.environ.get("PREFECT_API_DATABASE_CONNECTION_URL")  # Prefect's older name, still documented
        or settings.service.prefect_database
        or paths.prefect_database())
    return env


def prefect_database_url(url: str) -> str:
    """Prefect's server talks to PostgreSQL through asyncpg only: a URL written for the story store
    (postgresql:// or postgresql+psycopg://) is given asyncpg's driver name, so one form serves both."""
    for prefix in ("postgresql://", "postgresql+psycopg://", "postgresql+psycopg2://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix):]
    return url


def has_web_app() -> bool:
    """`bantin serve` exists in this bantin (the stations' web app, flows/web/)."""
    import importlib.util

    return importlib.util.find_spec("flows.web") is not None


def newsroom_parts(settings: Settings, addresses: Addresses, paths: ServicePaths) -> list[Part]:
    content = str(settings.content)
    base = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env = {**base, **prefect_env(paths, settings, addresses.api_url), "BANTIN_CONTENT": content}
    python = sys.executable
    parts = [
        Part("server", [python, "-m", "prefect", "server", "start", "--host", addresses.host,
                        "--port", str(addresses.api_port)],
             env={**env, "PREFECT_UI_API_URL": addresses.api_url},
             ready_url=f"{addresses.api_url}/health", cwd=paths.data),
        Part("deployments", [python, "-m", "flows.deployments", "--content", content], env=env, needs="server",
             ready_file=paths.prefect_home / "served", cwd=paths.data),
    ]
    if addresses.web_port:
        # The hook for the stations' web app: started like any other part once `bantin serve` exists.
        parts.append(Part("web", [python, "-m", "flows.cli", "serve", "--content", content, "--host", addresses.host,
                                  "--port", str(addresses.web_port)],
                          env=env, ready_url=addresses.web_url, cwd=paths.data))
    return parts


def served_marker(prefect_home: Path) -> Path:
    return prefect_home / "served"
