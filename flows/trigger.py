"""Flow module: run a deployment of the `bantin up` of this newsroom by name, wait for it, return its result.

The CLI calls this instead of running a flow in its own process when `bantin up` is running: the run is
made by the served runner (already warm), shows in Prefect's UI, and obeys the same locks as scheduled runs.
"""

from __future__ import annotations

from typing import Any

from flows.orchestration import flow  # noqa: F401 - Prefect's quiet defaults first

from prefect.client.schemas.objects import FlowRun  # noqa: E402
from prefect.deployments import run_deployment  # noqa: E402
from prefect.settings import (PREFECT_API_URL, PREFECT_RESULTS_LOCAL_STORAGE_PATH,  # noqa: E402
                              temporary_settings)

from flows.errors import BantinError, OperationalError  # noqa: E402
from flows.service.state import ServicePaths, ServiceState, wait_healthy  # noqa: E402


def trigger(service: ServiceState, paths: ServicePaths, deployment: str, parameters: dict[str, Any],
            timeout: float | None = None) -> Any:
    """Run `deployment` (e.g. "nightly/nightly") with `parameters` on the service; its result, or its error."""
    if not wait_healthy(f"{service.api_url}/health", 120):
        raise OperationalError(f"Máy chủ Prefect của bantin ({service.ui_url}) không trả lời.",
                               hint="Xem nhật ký trong thư mục data/logs, hoặc khởi động lại: bantin down rồi bantin up.",
                               transient=True)
    with temporary_settings({PREFECT_API_URL: service.api_url, PREFECT_RESULTS_LOCAL_STORAGE_PATH: paths.results}):
        run = run_deployment(deployment, parameters=parameters, timeout=timeout, poll_interval=0.5, as_subflow=False)
        assert isinstance(run, FlowRun)  # called from sync code: the run itself, not a coroutine
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
