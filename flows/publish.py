"""Flow: publish every approved story on the portal (the publisher chosen in settings)."""

from __future__ import annotations

from flows.orchestration import flow

from flows import pipeline, runtime


@flow(name="publish")
def publish(content: str | None = None) -> pipeline.PublishReport:
    return pipeline.publish(*runtime.open_newsroom(content))
