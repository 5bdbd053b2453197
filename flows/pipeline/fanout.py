"""How a stage runs its independent steps (one per source, per piece of speech, per bulletin).

The library describes the steps; whoever calls it chooses how they run. The bare library runs them on
a small thread pool; the Prefect flows pass a fan-out that makes each step a task with retries, so
the orchestration lives in flows/*.py and the stage logic only here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from flows.errors import BantinError

T = TypeVar("T")
R = TypeVar("R")


class Fanout(Protocol):
    def map(self, step: str, fn: Callable[[T], R], items: Sequence[T],
            label: Callable[[T], str] = str) -> list[R | BantinError]:
        """Run fn on every item; an item that fails with a BantinError gives that error in its place.

        Any other exception is a bug and propagates.
        """
        ...


def default_workers() -> int:
    # Voicing is CPU-bound ffmpeg and TTS work: more threads than cores only multiplies the audio held in
    # memory (bench/nightly.py measured ~1 GB with an unbounded pool on the demo content).
    return max(2, os.cpu_count() or 2)


def in_batches(items: Sequence[T], size: int) -> list[list[T]]:
    """The items in order, cut into lists of `size` (the last may be shorter)."""
    return [list(items[n:n + size]) for n in range(0, len(items), size)]


def _call(fn: Callable[[T], R], item: T) -> R | BantinError:
    try:
        return fn(item)
    except BantinError as exc:
        return exc


class Threads:
    """Run the steps on a bounded thread pool, in order of the items."""

    def __init__(self, max_workers: int | None = None) -> None:
        self.max_workers = max_workers or default_workers()

    def map(self, step: str, fn: Callable[[T], R], items: Sequence[T],
            label: Callable[[T], str] = str) -> list[R | BantinError]:
        if len(items) <= 1 or self.max_workers == 1:
            return [_call(fn, item) for item in items]
        with ThreadPoolExecutor(self.max_workers, thread_name_prefix=f"bantin-{step}") as pool:
            return list(pool.map(lambda item: _call(fn, item), items))


class Serial(Threads):
    """One step after another (tests and debugging)."""

    def __init__(self) -> None:
        super().__init__(max_workers=1)
