"""Flow module: run a deployment of the `bantin up` of this newsroom by name, wait for it, return its result.

The CLI and the desk call this instead of running a flow in its own process when `bantin up` is running: the run is
made by the served runner (already warm), shows in Prefect's UI, and obeys the same locks as scheduled runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

from flows.orchestration import flow  # noqa: F401 - Prefect's quiet defaults first

from prefect.client.orchestration import get_client  # noqa: E402
from prefect.client.schemas.filters import (FlowRunFilter, FlowRunFilterId,  # noqa: E402
                                            FlowRunFilterParentFlowRunId)
from prefect.client.schemas.objects import FlowRun  # noqa: E402
from prefect.deployments import run_deployment  # noqa: E402
from prefect.settings import (PREFECT_API_URL, PREFECT_RESULTS_LOCAL_STORAGE_PATH,  # noqa: E402
                              temporary_settings)

from flows.errors import BantinError, OperationalError  # noqa: E402
from flows.service.state import ServicePaths, ServiceState, wait_healthy  # noqa: E402


# Prefect's state names, in the editor's words (the desk shows them while a run runs on the server).
STATE_VI = {"Scheduled": "đã xếp lịch", "Pending": "đang chuẩn bị", "Running": "đang chạy", "Late": "chậm",
            "AwaitingRetry": "chờ chạy lại", "Retrying": "đang chạy lại", "Paused": "tạm dừng"}


def _ready(service: ServiceState) -> None:
    if not wait_healthy(f"{service.api_url}/health", 120):
        raise OperationalError(f"Máy chủ Prefect của bantin ({service.ui_url}) không trả lời.",
                               hint="Xem nhật ký trong thư mục data/logs, hoặc khởi động lại: bantin down rồi bantin up.",
                               transient=True)


def _settings(service: ServiceState, paths: ServicePaths):  # type: ignore[no-untyped-def]
    return temporary_settings({PREFECT_API_URL: service.api_url, PREFECT_RESULTS_LOCAL_STORAGE_PATH: paths.results})


def trigger(service: ServiceState, paths: ServicePaths, deployment: str, parameters: dict[str, Any],
            timeout: float | None = None) -> Any:
    """Run `deployment` (e.g. "nightly/nightly") with `parameters` on the service; its result, or its error."""
    _ready(service)
    with _settings(service, paths):
        run = run_deployment(deployment, parameters=parameters, timeout=timeout, poll_interval=0.5, as_subflow=False)
        assert isinstance(run, FlowRun)  # called from sync code: the run itself, not a coroutine
        return _result(service, deployment, run)


def submit(service: ServiceState, paths: ServicePaths, deployment: str, parameters: dict[str, Any]) -> FlowRun:
    """Ask the service for a run of `deployment` and return at once (the desk follows it with `follow`)."""
    _ready(service)
    with _settings(service, paths):
        run = run_deployment(deployment, parameters=parameters, timeout=0, as_subflow=False)
        assert isinstance(run, FlowRun)
        return run


def follow(service: ServiceState, paths: ServicePaths, deployment: str, run_id: UUID,
           on_progress: Callable[[str, int, int], None], poll: float = 0.5) -> Any:
    """Wait for a submitted run, telling `on_progress` its state and how many of its tasks (its subflows'
    included) have finished; then its result, or its error, as `trigger` gives them."""
    with _settings(service, paths), get_client(sync_client=True) as client:
        while True:
            run = client.read_flow_run(run_id)
            if run.state is not None and run.state.is_final():
                return _result(service, deployment, run)
            runs = [run_id] + [r.id for r in client.read_flow_runs(flow_run_filter=FlowRunFilter(
                parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[run_id])))]
            tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=runs)))
            done = sum(1 for t in tasks if t.state is not None and t.state.is_final())
            state = STATE_VI.get(run.state.name or "", run.state.name or "") if run.state else "đang chờ"
            busy = [t.name for t in tasks if t.state is not None and t.state.is_running()]
            on_progress(f"Trên máy chủ Prefect: {state}" + (f" ({busy[-1]})" if busy else ""), done, len(tasks))
            time.sleep(poll)


def _result(service: ServiceState, deployment: str, run: FlowRun) -> Any:
    state = run.state
    if state is None or not state.is_final():
        raise OperationalError(f"Lượt chạy '{deployment}' ({run.name}) chưa xong.", hint=f"Xem trên {service.ui_url}.")
    try:
        return state.result(raise_on_failure=True)
    except BantinError:
        raise
    except Exception as exc:  # the run failed or crashed: say which and why, not a remote traceback
        raise OperationalError(f"Lượt chạy '{deployment}' ({run.name}) không thành công: "
                               f"{state.name}: {state.message or exc}",
                               hint=f"Xem chi tiết trên {service.ui_url}/runs/flow-run/{run.id}.") from None
