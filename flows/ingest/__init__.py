"""Gathering: fetch (I/O) kept apart from parse (pure), one module per kind of source.

Every reader returns stories and failures: an item that cannot be read becomes a SourceFailure with a reason an
editor understands, and the other items still arrive. Notes that are not failures (a feed read in a guessed
encoding) come back as warnings.

The library's gathering step calls `read_source`, stores what it gave, then calls `Gathered.settle()` (inbox
files move to their processed or refused folder only once their stories are safely stored) and keeps
`Gathered.validators` for the next conditional request (Store.record_source_check).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flows.ingest.errors import GatherError, TransientGatherError
from flows.ingest.feeds import read_feed
from flows.ingest.fetch import Limits, Validators, fetch
from flows.ingest.frontmatter import Known
from flows.ingest.inbox import Disposition, read_inbox, settle
from flows.ingest.pages import read_pages
from flows.models import Source, SourceFailure, SubmittedStory

__all__ = ["GatherError", "TransientGatherError", "Gathered", "Known", "Limits", "Validators", "read_source"]


@dataclass
class Gathered:
    """What one source gave in one pass: stories, items that failed, or why the source failed."""

    source: Source
    stories: list[SubmittedStory] = field(default_factory=list)
    failures: list[SourceFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_modified: bool = False  # the server answered 304: nothing changed since the last gathering
    validators: Validators | None = None  # to send next time (None: keep what the store has)
    inbox: Path | None = None
    dispositions: list[Disposition] = field(default_factory=list)

    @property
    def source_failed(self) -> bool:
        return any(not f.item for f in self.failures)

    def settle(self, day: date | None = None) -> list[str]:
        """Move inbox files to their processed or refused folder; call only after the stories are stored."""
        if self.inbox is None or not self.source.archive or not self.dispositions:
            return []
        problems = settle(self.inbox, self.dispositions, day)
        self.dispositions = []
        self.warnings.extend(problems)
        return problems


def read_source(source: Source, *, base: Path, timeout: float | None = None, max_bytes: int | None = None,
                user_agent: str | None = None, limits: Limits | None = None, validators: Validators | None = None,
                known: Known | None = None, polite_delay: float = 1.0) -> Gathered:
    """Fetch and parse one source. Raises TransientGatherError for what a retry may fix; a terminal problem of
    the whole source comes back as a single failure."""
    limits = _limits(limits, timeout, max_bytes, user_agent)
    try:
        if source.kind == "inbox":
            folder = base / source.location
            got = read_inbox(folder, source, limits.max_bytes, known)
            return Gathered(source, got.stories, got.failures, got.warnings, inbox=folder,
                            dispositions=got.dispositions)
        if source.kind == "feed":
            fetched = fetch(source.location, base=base, limits=limits, validators=validators)
            if fetched.not_modified:
                return Gathered(source, not_modified=True, validators=fetched.validators)
            feed = read_feed(fetched.data, source, fetched.headers, fetched.url)
            web = fetched.url.startswith(("http://", "https://"))
            return Gathered(source, feed.stories, feed.failures, feed.warnings,
                            validators=fetched.validators if web else None)
        if source.kind == "page":
            pages = read_pages(source, base=base, limits=limits, validators=validators, delay=polite_delay)
            return Gathered(source, pages.stories, pages.failures, pages.warnings, not_modified=pages.not_modified,
                            validators=pages.validators)
        raise GatherError(f"Loại nguồn '{source.kind}' không được hỗ trợ (feed, page, inbox).")
    except TransientGatherError:
        raise
    except GatherError as exc:
        return Gathered(source, failures=[SourceFailure(source.id, exc.message)])


def _limits(limits: Limits | None, timeout: float | None, max_bytes: int | None, user_agent: str | None) -> Limits:
    limits = limits or Limits()
    changes: dict[str, object] = {}
    if timeout is not None:
        changes |= {"read_timeout": timeout, "connect_timeout": min(limits.connect_timeout, timeout),
                    "deadline": max(limits.deadline, 3 * timeout)}
    if max_bytes is not None:
        changes["max_bytes"] = max_bytes
    if user_agent is not None:
        changes["user_agent"] = user_agent
    return Limits(**{**limits.__dict__, **changes}) if changes else limits
