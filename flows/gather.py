"""Flow: gather stories from every source into the store (one task per source, transient failures retried)."""

from __future__ import annotations

from flows.orchestration import PrefectFanout, flow

from flows import pipeline, runtime


@flow(name="gather")
def gather(content: str | None = None, sources: list[str] | None = None) -> list[pipeline.SourceReport]:
    """Read every source (or the named ones); a failing source is reported and the others go on."""
    return pipeline.gather(*runtime.open_newsroom(content), sources, fanout=PrefectFanout())
