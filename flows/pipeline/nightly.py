"""The nightly run's bookkeeping: one report of every stage, and whether the night went well."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flows.content import Newsroom
from flows.pipeline.bulletins import SynthesiseReport, synthesise
from flows.pipeline.fanout import Fanout
from flows.pipeline.gathering import SourceReport, gather
from flows.pipeline.normalising import NormaliseReport, normalise, release_due
from flows.pipeline.publishing import PublishReport, publish
from flows.store import Store


@dataclass
class NightlyReport:
    sources: list[SourceReport]
    normalised: NormaliseReport
    synthesised: SynthesiseReport
    published: PublishReport
    released: list[int] = field(default_factory=list)  # went on air without a human look (review window ended)
    problems: list[str] = field(default_factory=list)  # what makes the night a failure, in Vietnamese

    @property
    def ok(self) -> bool:
        return not self.problems


def night_report(sources: list[SourceReport], normalised: NormaliseReport, synthesised: SynthesiseReport,
                 published: PublishReport, released: list[int] | None = None) -> NightlyReport:
    """Put the stages' reports together; duplicates and failures found by normalise go to their source's line.

    A source that could not be read is the contributor's problem and shows in its line; the night fails
    when a bulletin could not be made, since a station would then have nothing to air.
    """
    by_source = {r.source_id: r for r in sources}
    for story_id in normalised.duplicates:
        line = by_source.get(normalised.by_source.get(story_id, ""))
        if line is not None:
            line.duplicate += 1
    for story_id, reason in normalised.failed.items():
        line = by_source.get(normalised.by_source.get(story_id, ""))
        if line is not None:
            line.failed += 1
            line.reasons.append(f"{normalised.titles.get(story_id, story_id)}: {reason}")
    return NightlyReport(sources, normalised, synthesised, published, released=list(released or []),
                         problems=list(synthesised.failures))


def nightly(newsroom: Newsroom, store: Store, day: date | None = None, fanout: Fanout | None = None) -> NightlyReport:
    """The whole night without an orchestrator: gather, normalise, synthesise, publish.

    Synthesis comes before publishing so that article pages can carry each story's own MP3 in the same
    run; a second run over the same content then changes nothing.
    """
    sources = gather(newsroom, store, fanout=fanout)
    normalised = normalise(newsroom, store)
    released = release_due(newsroom, store)
    synthesised = synthesise(newsroom, store, day=day, fanout=fanout)
    published = publish(newsroom, store)
    return night_report(sources, normalised, synthesised, published, released)
