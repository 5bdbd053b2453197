"""Gather: keep what each source gave in the store and count it for the editors' summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from flows.content import Newsroom
from flows.ingest import Gathered, read_source
from flows.models import Source, SourceFailure
from flows.store import Store


@dataclass
class SourceReport:
    """One source's line in the run summary."""

    source_id: str
    source_name: str
    gathered: int = 0
    new: int = 0
    known: int = 0
    duplicate: int = 0
    failed: int = 0
    reasons: list[str] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)


def fetch_source(newsroom: Newsroom, source: Source) -> Gathered:
    g = newsroom.settings.gather
    return read_source(source, base=newsroom.content, timeout=g.timeout_seconds, max_bytes=g.max_bytes,
                       user_agent=g.user_agent)


def keep(store: Store, gathered: Gathered) -> SourceReport:
    """Store every story and every failed item; a source-wide failure is recorded as the run's error."""
    source = gathered.source
    report = SourceReport(source.id, source.name, gathered=len(gathered.stories))
    for story in gathered.stories:
        story_id = store.add_submission(story, source)
        if story_id is None:
            report.known += 1
        else:
            report.new += 1
            report.new_ids.append(story_id)
    for failure in gathered.failures:
        report.reasons.append(failure.reason)
        report.failed += 1
        if failure.item:  # an item of the source: keep it, marked failed, so nothing is lost
            store.add_failed_submission(source, failure.item, failure.item, "", failure.reason)
    source_error = next((f.reason for f in gathered.failures if not f.item), None)
    store.record_source_run(source.id, report.gathered, report.new, report.known, report.failed, source_error)
    return report


def transient_failure(source: Source, reason: str) -> Gathered:
    """What a source gave when retries ran out on a network error."""
    return Gathered(source, failures=[SourceFailure(source.id, reason)])
