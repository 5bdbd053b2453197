"""A fan-out over a Dask cluster for the bare library (no Prefect): `pipeline.synthesise(..., fanout=
DaskFanout(client))`. The Prefect flows reach the same workers through
prefect-dask instead (flows/synthesise.py).

Steps travel to the workers pickled, so a step that writes to the store or to the run's report is named in
`here` and runs on threads in this process; each worker must reach the same speech cache (a shared folder).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flows.errors import BantinError
from flows.pipeline.fanout import Threads, _call

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
            return Threads().map(step, fn, items, label)
        # pure=False: two equal items are still two steps; the keys name the steps in Dask's dashboard.
        futures = self.client.map(_call, [fn] * len(items), list(items), pure=False,
                                  key=[f"{step}-{label(item)}-{n}" for n, item in enumerate(items)])
        return list(self.client.gather(futures))
