"""Prefect's REST API, spoken directly: what the CLI and the desk need to run a deployment of the running
`bantin up` and follow it, without importing Prefect.

Importing Prefect costs a command about 1.2 s of CPU (2-3 s on the busy 2-core machine), more than the rest of
`bantin run` on a running service. The calls here are the ones Prefect's own client makes for `run_deployment`
(read the deployment by name, create a flow run from it, read the run until its state is final) and the ones
the desk's progress needs (the run's subflows and task runs), as JSON over loopback HTTP.

A run's result is read as Prefect persisted it (PREFECT_RESULTS_PERSIST_BY_DEFAULT, in data/prefect/results):
the state's data names the file and its serializer; a pickle in a local file is read here, anything else is
`NotHere` (the caller asks Prefect's own client).
"""

from __future__ import annotations

import base64
import json
import pickle
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FINAL = frozenset({"COMPLETED", "FAILED", "CRASHED", "CANCELLED"})
# Asked again: the server is busy (its SQLite database locked by a burst of writes answered 503 on the 2-core
# machine), restarting (refused: 0), or behind a proxy that timed out.
RETRY_STATUSES = frozenset({0, 408, 429, 502, 503, 504})
RETRY_PAUSES = (0.1, 0.2, 0.4, 0.8, 1.6, 3.2)


class ApiError(Exception):
    """The server answered with an error status (`status`), or not at all (0)."""

    def __init__(self, status: int, detail: str, retry_after: float | None = None) -> None:
        super().__init__(f"{status}: {detail}" if detail else str(status))
        self.status = status
        self.detail = detail
        self.retry_after = retry_after


class NotHere(Exception):
    """The result is not a pickle in a local file: read it with Prefect's client."""


@dataclass(frozen=True)
class Submitted:
    id: str
    name: str


class PrefectApi:
    def __init__(self, api_url: str, timeout: float = 30.0) -> None:
        self.url = api_url.rstrip("/")
        self.timeout = timeout

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """One request; a busy or restarting server (429, 502-504, refused) is asked again, as Prefect's own
        client does, after 0.1 s doubling to 3.2 s, or what its Retry-After says."""
        for pause in (*RETRY_PAUSES, None):
            try:
                return self._once(method, path, body)
            except ApiError as exc:
                if pause is None or exc.status not in RETRY_STATUSES:
                    raise
                time.sleep(exc.retry_after or pause)
        raise AssertionError("unreachable")

    def _once(self, method: str, path: str, body: Any) -> Any:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310 - our own server
                return json.loads(reply.read() or b"null")
        except urllib.error.HTTPError as exc:
            raise ApiError(exc.code, _detail(exc.read()), _seconds(exc.headers.get("Retry-After"))) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:  # refused, reset, timed out, not JSON
            raise ApiError(0, str(getattr(exc, "reason", exc))) from None

    def deployment(self, name: str) -> dict[str, Any]:
        """A deployment by its full name, "flow/deployment"."""
        flow_name, deployment_name = name.split("/", 1)
        return self.call("GET", f"/deployments/name/{urllib.parse.quote(flow_name)}/"
                                f"{urllib.parse.quote(deployment_name)}")

    def run_deployment(self, deployment_id: str, parameters: dict[str, Any]) -> Submitted:
        """A new run of the deployment, scheduled now; the server checks the parameters against its schema.
        Asked again after a lost answer, the same key gives the same run, not a second one."""
        run = self.call("POST", f"/deployments/{deployment_id}/create_flow_run",
                        {"parameters": parameters, "idempotency_key": uuid.uuid4().hex})
        return Submitted(run["id"], run["name"])

    def flow_run(self, run_id: str) -> dict[str, Any]:
        return self.call("GET", f"/flow_runs/{run_id}")

    def subflow_runs(self, run_id: str) -> list[dict[str, Any]]:
        return self.call("POST", "/flow_runs/filter",
                         {"flow_runs": {"parent_flow_run_id": {"any_": [run_id]}}})

    def task_runs(self, flow_run_ids: list[str]) -> list[dict[str, Any]]:
        return self.call("POST", "/task_runs/filter", {"flow_runs": {"id": {"any_": flow_run_ids}}})


def _detail(body: bytes) -> str:
    try:
        detail = json.loads(body).get("detail", "")
    except (ValueError, AttributeError):
        return body.decode("utf-8", "replace")[:500]
    return detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)[:500]


def _seconds(value: str | None) -> float | None:
    try:
        return min(10.0, max(0.0, float(value))) if value else None
    except ValueError:
        return None


def is_final(run: dict[str, Any]) -> bool:
    return (run.get("state") or {}).get("type") in FINAL


def stored_result(state: dict[str, Any]) -> Any:
    """The value a final state's data points to, when Prefect pickled it into a local file."""
    data = state.get("data")
    if data is None:
        return None
    if not isinstance(data, dict) or data.get("storage_block_id") or not data.get("storage_key"):
        raise NotHere(data)
    serializer = data.get("serializer") or {}
    if serializer.get("type") != "pickle" or serializer.get("picklelib") not in ("cloudpickle", "pickle"):
        raise NotHere(serializer)
    path = Path(data["storage_key"])
    try:
        blob = path.read_bytes()
    except OSError:
        raise NotHere(path) from None
    if blob.lstrip().startswith(b"{"):  # a whole result record: its metadata with the result inside
        blob = json.loads(blob)["result"].encode()
    # Prefect's pickle serializer wraps the pickle in base64; objects it pickled by reference (bantin's reports,
    # its errors) load with the standard pickle.
    return pickle.loads(base64.decodebytes(blob))  # noqa: S301 - written by this newsroom's own runner
