"""Flow: normalise submitted stories (clean, tag, deduplicate, spoken form); trusted ones are approved."""

from __future__ import annotations

from flows.orchestration import flow

from flows import pipeline, runtime


@flow(name="normalise")
def normalise(content: str | None = None) -> pipeline.NormaliseReport:
    # One step for the batch: normalising is pure and fast, and duplicates are found in order.
    return pipeline.normalise(*runtime.open_newsroom(content))
