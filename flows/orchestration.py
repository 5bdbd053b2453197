"""Prefect, set up once for every flow module: quiet defaults, patience on a busy machine, the one retry rule,
and the fan-out that turns the library's steps into Prefect tasks.

Imported before prefect by each flow module, so the embedded default (Prefect's temporary local
server) starts without telemetry, which on a fresh database logs "database is locked".
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
# The temporary server took more than the default 20 s to come up on a busy 2-core machine, and the run
# died with "Timed out while attempting to connect to ephemeral Prefect API server". Waiting costs nothing
# on a quiet machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.client.schemas.objects import TaskRun  # noqa: E402
from prefect.states import State  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from flows.errors import BantinError  # noqa: E402
from flows.settings import ClusterSettings  # noqa: E402

__all__ = ["flow", "task", "stage", "retry_transient", "PrefectFanout", "ThreadPoolTaskRunner", "TRANSIENT_RETRY_DELAYS",
           "starts_local_server", "cluster_task_runner"]

T = TypeVar("T")
R = TypeVar("R")

# Short delays: a run waits for a flaky feed a little, then reports it and goes on.
TRANSIENT_RETRY_DELAYS: list[float] = [2.0, 8.0]


def retry_transient(task: object, task_run: TaskRun, state: State) -> bool:
    """Retry only what a retry can fix: errors that say they are transient (network, 429, 5xx)."""
    exc = state.result(raise_on_failure=False)
    return bool(getattr(exc, "transient", False))


def starts_local_server() -> bool:
    """True when a flow will start Prefect's temporary local server (no PREFECT_API_URL set)."""
    from prefect.settings import PREFECT_API_URL

    return not PREFECT_API_URL.value()


# The library's steps are plain callables over plain items; running each as a task gives it a name in
# Prefect's UI, retries for transient errors, and the flow's task runner for concurrency.
@task(task_run_name="{step}-{label}", retries=len(TRANSIENT_RETRY_DELAYS), retry_delay_seconds=TRANSIENT_RETRY_DELAYS,
      retry_condition_fn=retry_transient, cache_policy=NO_CACHE, persist_result=False)
def library_step(step: str, label: str, fn: Callable[[Any], Any], item: Any) -> Any:
    return fn(item)


# A step with more items than this runs as this many tasks, each over a share of the items: 2,000 feed sources
# as 2,000 tasks (three or more API writes each) made Prefect's temporary server answer 503 and the night fail
# (FIELD-NOTES: a server absorbs about 40 task runs a second).
MAX_TASKS_PER_STEP = 64


@task(task_run_name="{step}-{label}", cache_policy=NO_CACHE, persist_result=False)
def library_batch(step: str, label: str, fn: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    """Several items of one step in one task, one after another, each failing on its own; what failed with a
    transient error is tried again after the same delays as a task's retries."""
    from flows.pipeline.fanout import _call

    results = [_call(fn, item) for item in items]
    for delay in TRANSIENT_RETRY_DELAYS:
        again = [n for n, got in enumerate(results) if isinstance(got, BantinError) and got.transient]
        if not again:
            break
        time.sleep(delay)
        for n in again:
            results[n] = _call(fn, items[n])
    return results


class PrefectFanout:
    """A flows.pipeline.Fanout whose steps are Prefect tasks.

    Steps named in `here` run on threads in the flow's own process instead: on a Dask task runner, the steps
    that write to the store or share the run's report cannot travel to another process.
    """

    def __init__(self, here: frozenset[str] = frozenset(), workers: int | None = None) -> None:
        self.here = here
        # At most this many of its tasks at once, on a thread pool of its own (voicing holds audio in memory);
        # None: the flow's task runner.
        self.workers = workers

    def map(self, step: str, fn: Callable[[T], R], items: Sequence[T],
            label: Callable[[T], str] = str) -> list[R | BantinError]:
        if step in self.here:
            from flows.pipeline.fanout import Threads

            return Threads().map(step, fn, items, label)
        if self.workers is None:
            return self._on(_FlowsRunner(), step, fn, items, label)
        pool: Any = ThreadPoolTaskRunner(max_workers=self.workers)
        with pool as entered:
            return self._on(entered, step, fn, items, label)

    def _on(self, runner: Any, step: str, fn: Callable[[T], R], items: Sequence[T],
            label: Callable[[T], str]) -> list[R | BantinError]:
        if len(items) > MAX_TASKS_PER_STEP:
            return self._in_batches(runner, step, fn, items, label)
        futures = [runner.submit(library_step, {"step": step, "label": label(item), "fn": fn, "item": item})
                   for item in items]
        results: list[R | BantinError] = []
        for future in futures:
            try:
                results.append(future.result())
            except BantinError as exc:
                results.append(exc)
        return results

    def _in_batches(self, runner: Any, step: str, fn: Callable[[T], R], items: Sequence[T],
                    label: Callable[[T], str]) -> list[R | BantinError]:
        from flows.pipeline.fanout import in_batches

        batches = in_batches(items, -(-len(items) // MAX_TASKS_PER_STEP))
        futures = [runner.submit(library_batch, {"step": step, "label": f"{label(batch[0])}+{len(batch) - 1}",
                                                 "fn": fn, "items": batch}) for batch in batches]
        return [result for future in futures for result in future.result()]


class _FlowsRunner:
    """The running flow's own task runner, as `task.submit` uses it."""

    def submit(self, task: Any, parameters: dict[str, Any]) -> Any:
        return task.submit(**parameters)


def stage(flow: Any) -> Any:
    """A stage flow's work as a task of the flow that calls it (the nightly run's gather, normalise, ...): shown in
    Prefect's UI with its state like a subflow, without a subflow's own flow run (its API calls, its heartbeat
    thread joined at its end: about a second each on the 2-core machine). Its report is the caller's, not kept."""
    return task(flow.fn, name=flow.name, cache_policy=NO_CACHE, persist_result=False)


def cluster_task_runner(cluster: ClusterSettings) -> Any:
    """prefect-dask's task runner for the settings' [cluster]: a running Dask scheduler at its address, or a
    LocalCluster of its workers processes started for the run (one thread each: voicing is CPU-bound); None
    for neither (tasks stay on the flow's threads)."""
    if not cluster.configured:
        return None
    from prefect_dask import DaskTaskRunner

    if cluster.address:
        return DaskTaskRunner(address=cluster.address)
    return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                          cluster_kwargs={"n_workers": cluster.workers, "processes": True, "threads_per_worker": 1,
                                          "dashboard_address": None})
