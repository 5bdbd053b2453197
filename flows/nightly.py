"""Flow: the nightly run — gather, normalise, synthesise the next bulletins, publish the portal.

Synthesis comes before publishing so that article pages can link each story's own MP3 in the same
run; a second run over the same content then changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flows.orchestration import flow

from flows import runtime
from flows.gather import gather
from flows.normalise import normalise
from flows.pipeline.gathering import SourceReport
from flows.pipeline.normalising import NormaliseReport
from flows.pipeline.publishing import PublishReport
from flows.publish import publish
from flows.synthesise import SynthesiseReport, synthesise


@dataclass
class NightlyReport:
    sources: list[SourceReport]
    normalised: NormaliseReport
    synthesised: SynthesiseReport
    published: PublishReport


@flow(name="nightly")
def nightly(content: str | None = None, day: date | None = None) -> NightlyReport:
    sources = gather(content)
    normalised = normalise(content)
    _count_duplicates(content, sources, normalised)
    synthesised = synthesise(content, day=day)
    published = publish(content)
    return NightlyReport(sources, normalised, synthesised, published)


def _count_duplicates(content: str | None, sources: list[SourceReport], normalised: NormaliseReport) -> None:
    """Attribute each duplicate found by normalise to the source that sent it, for the summary."""
    store = runtime.store(content)
    by_source = {r.source_id: r for r in sources}
    for row in store.stories(ids=list(normalised.duplicates)):
        if row.source_id in by_source:
            by_source[row.source_id].duplicate += 1
    for story_id, reason in normalised.failed.items():
        failed = store.story(story_id)
        if failed is not None and failed.source_id in by_source:
            by_source[failed.source_id].failed += 1
            by_source[failed.source_id].reasons.append(f"{failed.title}: {reason}")
