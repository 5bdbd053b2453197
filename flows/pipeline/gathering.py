"""Gather: keep what each source gave in the store and count it for the editors' summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from flows.content import Newsroom
from flows.ingest import Gathered, Known, Limits, Validators, read_source
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
    notes: list[str] = field(default_factory=list)  # not failures: "unchanged since last time", a guessed encoding


def fetch_source(newsroom: Newsroom, source: Source, validators: Validators | None = None) -> Gathered:
    """Read one source; `validators` (Store.source_validators) make a web source's request conditional."""
    g = newsroom.settings.gather
    limits = Limits(connect_timeout=g.connect_timeout_seconds, read_timeout=g.timeout_seconds,
                    deadline=g.deadline_seconds, max_bytes=g.max_bytes, max_redirects=g.max_redirects,
                    user_agent=g.user_agent)
    return read_source(source, base=newsroom.content, limits=limits, validators=validators,
                       known=Known(newsroom.communes, newsroom.movements), polite_delay=g.polite_delay_seconds)


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
    # ingest: inbox files move only now that their stories are stored; validators kept for the next request.
    gathered.settle()
    store.record_source_check(source.id, ok=source_error is None, new=report.new,
                              etag=gathered.validators.etag if gathered.validators else None,
                              last_modified=gathered.validators.last_modified if gathered.validators else None)
    report.notes.extend(gathered.warnings)
    if gathered.not_modified:
        report.notes.append("Không đổi từ lần đọc trước (HTTP 304).")
    return report


def transient_failure(source: Source, reason: str) -> Gathered:
    """What a source gave when retries ran out on a network error."""
    return Gathered(source, failures=[SourceFailure(source.id, reason)])
