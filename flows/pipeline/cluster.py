"""A fan-out over a Dask cluster for the bare library (no Prefect): `pipeline.synthesise(..., fanout=
DaskFanout(client))`. The Prefect flows reach the same workers through
prefect-dask instead (flows/synthesise.py).

Steps travel to the workers pickled, so a step that writes to the store or to the run's report is named in
`here` and runs on threads in this process; each worker must reach the same speech cache (a shared folder).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flows.errors import BantinError
from flows.pipeline.fanout import Threads, _call, default_workers

T = TypeVar("T")
R = TypeVar("R")


# Steps that write to the store or the run's report, or are too few to be worth the trip (a station's music
# bed, its sting), stay in the run's process; voicing and jingles go to the workers.
LOCAL_STEPS = frozenset({"bulletins", "bed", "sting"})


class DaskFanout:
    def __init__(self, client: Any, here: frozenset[str] = LOCAL_STEPS) -> None:
        self.client = client  # a distributed.Client
        self.here = here

    def map(self, step: str, fn: Callable[[T], R], items: Sequence[T],
            label: Callable[[T], str] = str) -> list[R | BantinError]:
        if step in self.here or not items:
            # The steps kept here wait on the workers (a bulletin's headlines are voiced there, see
            # bulletins.synthesise): enough threads to keep every worker thread busy while others assemble.
            return Threads(max(default_workers(), 2 * self._worker_threads())).map(step, fn, items, label)
        # pure=False: two equal items are still two steps; the keys name the steps in Dask's dashboard, and
        # the call's token keeps them apart from another call's (a headline's label is not unique).
        token = uuid.uuid4().hex[:8]
        futures = self.client.map(_call, [fn] * len(items), list(items), pure=False,
                                  key=[f"{step}-{label(item)}-{token}-{n}" for n, item in enumerate(items)])
        return list(self.client.gather(futures))

    def _worker_threads(self) -> int:
        try:
            return sum(self.client.nthreads().values())
        except Exception:  # a scheduler that does not answer: the default pool
            return 0
