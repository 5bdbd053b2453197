"""Gathering: fetch (I/O) kept apart from parse (pure), one module per kind of source.

Every parser returns (stories, failures): an item that cannot be read becomes a SourceFailure with a
reason an editor understands, and the other items still arrive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows.ingest.errors import GatherError, TransientGatherError
from flows.ingest.feeds import parse_feed
from flows.ingest.fetch import fetch
from flows.ingest.inbox import read_inbox
from flows.ingest.pages import parse_page
from flows.models import Source, SourceFailure, SubmittedStory

__all__ = ["GatherError", "TransientGatherError", "Gathered", "read_source"]


@dataclass
class Gathered:
    """What one source gave in one pass: stories, items that failed, or why the source failed."""

    source: Source
    stories: list[SubmittedStory] = field(default_factory=list)
    failures: list[SourceFailure] = field(default_factory=list)


def read_source(source: Source, *, base: Path, timeout: float, max_bytes: int, user_agent: str) -> Gathered:
    """Fetch and parse one source. Raises TransientGatherError for what a retry may fix; a
    terminal problem of the whole source comes back as a single failure."""
    try:
        if source.kind == "inbox":
            stories, failures = read_inbox(base / source.location, source, max_bytes)
        elif source.kind == "feed":
            got = fetch(source.location, base=base, timeout=timeout, max_bytes=max_bytes, user_agent=user_agent)
            stories, failures = parse_feed(got.data, source, got.headers)
        elif source.kind == "page":
            got = fetch(source.location, base=base, timeout=timeout, max_bytes=max_bytes, user_agent=user_agent)
            stories, failures = parse_page(got.data, source, got.url)
        else:
            raise GatherError(f"Loại nguồn '{source.kind}' không được hỗ trợ (feed, page, inbox).")
    except TransientGatherError:
        raise
    except GatherError as exc:
        return Gathered(source, failures=[SourceFailure(source.id, exc.message)])
    return Gathered(source, stories, failures)
