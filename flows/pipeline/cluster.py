"""A fan-out over a Dask cluster for the bare library (no Prefect): `pipeline.synthesise(..., fanout=
DaskFanout(client))`. The Prefect flows reach the same workers through
prefect-dask instead (flows/synthesise.py).

Steps travel to the workers pickled; none of them writes to the store (the bulletins' step returns what it wrote,
and the run records it here). Each worker must reach the same speech cache and audio_out (a shared folder, or
[storage] URLs).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flows.errors import BantinError
from flows.pipeline.fanout import Threads, _call, default_workers, in_batches

T = TypeVar("T")
R = TypeVar("R")


# Steps too few to be worth the trip (the music beds, the stings: one per file and format) stay in the run's
# process; voicing, jingles and assembling each station's bulletins (with its headlines) go to the workers.
LOCAL_STEPS = frozenset({"bed", "sting"})

# A Dask task costs the scheduler (in the run's process) and the worker some milliseconds of their own, so a
# stage's items travel in batches of up to MAX_BATCH (a segment takes ~0.2 s to voice: a batch is a second or
# two), and in at least BATCHES_PER_THREAD batches per worker thread so that the workers end a stage together.
MAX_BATCH = 8
BATCHES_PER_THREAD = 16


def _call_each(fn: Callable[[T], R], items: list[T]) -> list[R | BantinError]:
    return [_call(fn, item) for item in items]


class DaskFanout:
    def __init__(self, client: Any, here: frozenset[str] = LOCAL_STEPS) -> None:
        self.client = client  # a distributed.Client
        self.here = here

    def map(self, step: str, fn: Callable[[T], R], items: Sequence[T],
            label: Callable[[T], str] = str) -> list[R | BantinError]:
        if step in self.here or not items:
            return Threads().map(step, fn, items, label)
        threads = self._worker_threads() or default_workers()
        size = max(1, min(MAX_BATCH, math.ceil(len(items) / (threads * BATCHES_PER_THREAD))))
        batches = in_batches(items, size)
        # pure=False: two equal batches are still two tasks; the keys name the batches (by their first item) in
        # Dask's dashboard, and the call's token keeps them apart from another call's (a label is not unique).
        token = uuid.uuid4().hex[:8]
        futures = self.client.map(_call_each, [fn] * len(batches), batches, pure=False,
                                  key=[f"{step}-{label(batch[0])}-{token}-{n}" for n, batch in enumerate(batches)])
        return [got for batch in self.client.gather(futures) for got in batch]

    def _worker_threads(self) -> int:
        try:
            return sum(self.client.nthreads().values())
        except Exception:  # a scheduler that does not answer: the default pool
            return 0
