"""Prefect, set up once for every flow module: quiet defaults and the one retry rule.

Imported before prefect by each flow module, so the embedded default (Prefect's temporary local
server) starts without telemetry, which on a fresh database logs "database is locked".
"""

from __future__ import annotations

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")

from prefect import flow, task  # noqa: E402
from prefect.client.schemas.objects import TaskRun  # noqa: E402
from prefect.states import State  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

__all__ = ["flow", "task", "retry_transient", "ThreadPoolTaskRunner", "TRANSIENT_RETRY_DELAYS"]

# Short delays: a run waits for a flaky feed a little, then reports it and goes on.
TRANSIENT_RETRY_DELAYS: list[float] = [2.0, 8.0]


def retry_transient(task: object, task_run: TaskRun, state: State) -> bool:
    """Retry only what a retry can fix: errors that say they are transient (network, 429, 5xx)."""
    exc = state.result(raise_on_failure=False)
    return bool(getattr(exc, "transient", False))
