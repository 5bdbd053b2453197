"""Flow: publish every approved story on the portal (static site by default)."""

from __future__ import annotations

from flows.orchestration import flow, task

from flows import runtime
from flows.pipeline.publishing import PublishReport, publish_portal


@task
def publish_site(content: str | None) -> PublishReport:
    return publish_portal(runtime.newsroom(content), runtime.store(content))


@flow(name="publish")
def publish(content: str | None = None) -> PublishReport:
    return publish_site(content)
