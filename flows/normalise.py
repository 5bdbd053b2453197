"""Flow: normalise submitted stories (clean, tag, deduplicate, spoken form); trusted ones are approved."""

from __future__ import annotations

from flows.orchestration import flow, task

from flows import runtime
from flows.pipeline.normalising import NormaliseReport, normalise_submitted


@task
def normalise_batch(content: str | None) -> NormaliseReport:
    newsroom = runtime.newsroom(content)
    return normalise_submitted(newsroom, runtime.store(content), newsroom.lexicon())


@flow(name="normalise")
def normalise(content: str | None = None) -> NormaliseReport:
    # One task for the batch: normalising is pure and fast, and duplicates are found in order.
    return normalise_batch(content)
