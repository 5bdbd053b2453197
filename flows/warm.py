"""Flow module: the served flow runs start in a process that has already imported bantin and Prefect.

Prefect's runner starts each run of a flow it serves in a new Python process (multiprocessing's "spawn"), which
imports Prefect and the flow's module again: about 2.7 s of CPU on the 2-core machine before the run's first line,
more than the whole of a rerun with nothing to do. `warm_up` makes the runner's processes forks of a forkserver
(multiprocessing's "forkserver") that imported those modules once, when the runner started: the same Prefect engine
call with the same environment and control channel, in a new process (killed, cancelled and crashed like any
other), without the imports.

The forkserver is a child of the runner, in its process group: stopping `bantin up` or the runner stops it too.
A bantin changed on disk (an upgrade) is noticed at the next run: from then on runs start the stock way, importing
the new code, until the runner is started again.
"""

from __future__ import annotations

import copyreg
import importlib
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import flows
from flows.orchestration import flow  # noqa: F401 - Prefect's quiet defaults first

import prefect.flow_engine  # noqa: E402
from prefect import Flow  # noqa: E402

log = logging.getLogger("bantin.warm")

# Imported by the forkserver before its first fork: the engine, the flows served, and the libraries their work
# imports on first use.
ENGINE_MODULES = ("prefect.flow_engine", "prefect.runner", "prefect.task_engine", "prefect.results",
                  "prefect.logging.handlers", "flows.warmed")


def code_version(package: ModuleType = flows) -> tuple[int, int]:
    """The newest modification time and the number of the package's Python files: changes when bantin does."""
    newest, count = 0, 0
    for folder, _dirs, files in os.walk(Path(str(package.__file__)).parent):
        for name in files:
            if name.endswith(".py"):
                count += 1
                newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
    return newest, count


class _WarmStart:
    """Stands in for the multiprocessing module inside prefect.flow_engine: the runner asks it for the "spawn"
    context to start a flow run's process, and gets the warm forkserver's while bantin's code is unchanged."""

    def __init__(self, real: ModuleType, version: tuple[int, int]) -> None:
        self._real = real
        self._version = version
        self._warned = threading.Event()
        self.context = real.get_context("forkserver")

    def get_context(self, method: str | None = None) -> Any:
        if method != "spawn":
            return self._real.get_context(method)
        if code_version() != self._version:
            if not self._warned.is_set():
                self._warned.set()
                log.warning("bantin changed on disk: flow runs start with a fresh import until the runner restarts")
            return self._real.get_context(method)
        return self.context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def served_flow(module: str, name: str) -> Flow[..., Any]:
    """A flow of a bantin module, as the module defines it (how a served flow travels to its run's process)."""
    return getattr(importlib.import_module(module), name)


def _by_reference(served: Flow[..., Any]) -> tuple[Any, ...]:
    """Pickle a flow that is its module's attribute as that name, as a function is pickled: its run's process
    takes the module's own (already imported) flow, whose type hints resolve in the module. Pickled by value,
    as Prefect would, its function keeps only the globals its code uses, and `day: date` fails validation."""
    module, name = served.fn.__module__, served.fn.__name__
    if getattr(importlib.import_module(module), name, None) is served:
        return served_flow, (module, name)
    reduced = served.__reduce_ex__(4)
    assert isinstance(reduced, tuple)  # a class instance's reduction: never the bare name of a global
    return reduced


def warm_up(modules: Iterable[str]) -> None:
    """Start the forkserver with `modules` (and Prefect's engine) imported, and have the runner of this process
    start its flow runs from it."""
    preload = [*ENGINE_MODULES, *modules]
    for name in preload:  # a module that does not import fails here, in the runner's log, not in every run
        importlib.import_module(name)
    version = code_version()
    warm = _WarmStart(multiprocessing, version)
    warm.context.set_forkserver_preload(preload)
    multiprocessing.forkserver.ensure_running()  # now, not on the first run: it imports for a few seconds
    copyreg.pickle(Flow, _by_reference)
    prefect.flow_engine.multiprocessing = warm  # type: ignore[attr-defined,assignment]
