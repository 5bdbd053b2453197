"""Run a deployment of the `bantin up` of this newsroom by name, wait for it, return its result.

The CLI and the desk call this instead of running a flow in their own process when `bantin up` is running: the run
is made by the served runner (already warm), shows in Prefect's UI, and obeys the same locks as scheduled runs.
They talk to Prefect's server over its REST API (flows/service/api.py) without importing Prefect, whose import
alone took longer than a rerun with nothing to do; Prefect's own client is imported only to read a result stored
somewhere other than a local file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

from flows.errors import BantinError, NotFoundError, OperationalError, UserError
from flows.service.api import ApiError, NotHere, PrefectApi, Submitted, is_final, stored_result
from flows.service.state import ServicePaths, ServiceState, wait_healthy

# Prefect's state names, in the editor's words (the desk shows them while a run runs on the server).
STATE_VI = {"Scheduled": "đã xếp lịch", "Pending": "đang chuẩn bị", "Running": "đang chạy", "Late": "chậm",
            "AwaitingRetry": "chờ chạy lại", "Retrying": "đang chạy lại", "Paused": "tạm dừng"}

# How often a waiting command asks the server about its run: a GET of one row on loopback costs the server about
# 5 ms of CPU (measured), and the command waits half this on average after the run ends.
POLL_SECONDS = 0.2


def _ready(service: ServiceState) -> None:
    if not wait_healthy(f"{service.api_url}/health", 120):
        raise OperationalError(f"Máy chủ Prefect của bantin ({service.ui_url}) không trả lời.",
                               hint="Xem nhật ký trong thư mục data/logs, hoặc khởi động lại: bantin down rồi bantin up.",
                               transient=True)


def trigger(service: ServiceState, paths: ServicePaths, deployment: str, parameters: dict[str, Any],
            timeout: float | None = None) -> Any:
    """Run `deployment` (e.g. "nightly/nightly") with `parameters` on the service; its result, or its error."""
    run = submit(service, paths, deployment, parameters)
    return follow(service, paths, deployment, run.id, timeout=timeout)


def submit(service: ServiceState, paths: ServicePaths, deployment: str, parameters: dict[str, Any]) -> Submitted:
    """Ask the service for a run of `deployment` and return at once (the desk follows it with `follow`)."""
    _ready(service)
    api = PrefectApi(service.api_url)
    try:
        found = api.deployment(deployment)
    except ApiError as exc:
        if exc.status == 404:
            raise NotFoundError(f"bantin đang chạy ({service.ui_url}) không có lượt chạy '{deployment}'.",
                                hint="Khởi động lại bantin (bantin down rồi bantin up) để đăng ký lại các lượt chạy.") from None
        raise _unreachable(service, exc) from None
    try:
        return api.run_deployment(found["id"], parameters)
    except ApiError as exc:
        if exc.status in (409, 422):
            raise UserError(f"Máy chủ Prefect không nhận tham số của lượt chạy '{deployment}': {exc.detail}",
                            hint=f"Xem các tham số của '{deployment}' trên {service.ui_url}.") from None
        raise _unreachable(service, exc) from None


def follow(service: ServiceState, paths: ServicePaths, deployment: str, run_id: Any,
           on_progress: Callable[[str, int, int], None] | None = None, poll: float = POLL_SECONDS,
           timeout: float | None = None) -> Any:
    """Wait for a submitted run, telling `on_progress` (if given) its state and how many of its tasks (its
    subflows' included) have finished; then its result, or its error, as `trigger` gives them."""
    api, run_id = PrefectApi(service.api_url), str(run_id)
    deadline = None if timeout is None else time.monotonic() + timeout
    told = 0.0
    while True:
        try:
            run = api.flow_run(run_id)
            if is_final(run):
                break
            if on_progress is not None and time.monotonic() - told >= 0.5:  # the desk's page: twice a second
                told = time.monotonic()
                _progress(api, run, on_progress)
        except ApiError as exc:
            raise _unreachable(service, exc) from None
        if deadline is not None and time.monotonic() > deadline:
            raise OperationalError(f"Lượt chạy '{deployment}' ({run['name']}) chưa xong sau {timeout:.0f} giây.",
                                   hint=f"Xem trên {service.ui_url}/runs/flow-run/{run_id}.")
        time.sleep(poll)
    return _result(service, paths, deployment, run)


def _progress(api: PrefectApi, run: dict[str, Any], on_progress: Callable[[str, int, int], None]) -> None:
    runs = [run["id"]] + [r["id"] for r in api.subflow_runs(run["id"])]
    tasks = api.task_runs(runs)
    states = [t.get("state") or {} for t in tasks]
    done = sum(1 for s in states if s.get("type") in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"))
    busy = [t["name"] for t, s in zip(tasks, states) if s.get("type") == "RUNNING"]
    name = (run.get("state") or {}).get("name") or ""
    state = STATE_VI.get(name, name) if run.get("state") else "đang chờ"
    on_progress(f"Trên máy chủ Prefect: {state}" + (f" ({busy[-1]})" if busy else ""), done, len(tasks))


def _result(service: ServiceState, paths: ServicePaths, deployment: str, run: dict[str, Any]) -> Any:
    state = run["state"]
    try:
        value = stored_result(state)
    except NotHere:
        value = _result_by_prefect(service, paths, run["id"])
    except Exception:  # noqa: BLE001 - an unreadable result of a failed run: say the state instead
        if state["type"] == "COMPLETED":
            raise
        value = None
    if state["type"] == "COMPLETED":
        return value
    if isinstance(value, BantinError):
        raise value
    raise OperationalError(f"Lượt chạy '{deployment}' ({run['name']}) không thành công: "
                           f"{state['name']}: {state.get('message') or value or 'không rõ'}",
                           hint=f"Xem chi tiết trên {service.ui_url}/runs/flow-run/{run['id']}.") from None


def _result_by_prefect(service: ServiceState, paths: ServicePaths, run_id: str) -> Any:
    """A result kept elsewhere than a local file (a storage block): Prefect's client reads it."""
    from flows.orchestration import flow  # noqa: F401 - Prefect's quiet defaults first

    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, PREFECT_RESULTS_LOCAL_STORAGE_PATH, temporary_settings

    with temporary_settings({PREFECT_API_URL: service.api_url, PREFECT_RESULTS_LOCAL_STORAGE_PATH: paths.results}), \
            get_client(sync_client=True) as client:
        state = client.read_flow_run(UUID(run_id)).state
        return None if state is None else state.result(raise_on_failure=False)


def _unreachable(service: ServiceState, exc: ApiError) -> OperationalError:
    return OperationalError(f"Máy chủ Prefect của bantin ({service.ui_url}) trả lời lỗi {exc}.",
                            hint="Xem nhật ký trong thư mục data/logs, hoặc khởi động lại: bantin down rồi bantin up.",
                            transient=True)
