"""The nightly run's approval deadline: wait, within bounds, for the stories still under review, then build
from what was approved. Nothing waits forever.

The cut-off is `[nightly] approval_cutoff` (local time) on the evening before the broadcast day, and never
later than `max_wait_minutes` after the run began; a cut-off already past means no wait at all (a rerun of
an old day, the demo night). While waiting, trusted sources' stories whose review window ends go on air
(release_due) and editors' decisions count as they come; the wait ends early once nothing is left to decide.
"""

from __future__ import annotations

import time as clock_time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flows import progress
from flows.content import Newsroom
from flows.models import StoryState
from flows.pipeline.normalising import local_now, release_due
from flows.store import Store


@dataclass
class ReviewWait:
    cutoff: datetime
    waited_seconds: float = 0.0
    pending_at_start: list[int] = field(default_factory=list)
    released: list[int] = field(default_factory=list)  # trusted, window ended: on air without a human look
    left_out: list[int] = field(default_factory=list)  # still under review at the cut-off: not in this night


def cutoff_for(newsroom: Newsroom, day: date, started: datetime) -> datetime:
    settings = newsroom.settings.nightly
    at = datetime.combine(day - timedelta(days=1), time.fromisoformat(settings.approval_cutoff))
    return min(at, started + timedelta(minutes=settings.max_wait_minutes))


def under_review(store: Store, day: date) -> list[int]:
    """Stories that could air on `day` and still wait for an editor or for their review window."""
    return [s.id for s in store.stories(StoryState.NORMALISED) if s.duplicate_of is None and s.airs_on(day)]


def await_reviews(newsroom: Newsroom, store: Store, day: date, cutoff: datetime | None = None,
                  now: Callable[[], datetime] | None = None,
                  sleep: Callable[[float], None] = clock_time.sleep) -> ReviewWait:
    """Wait until the cut-off (or until nothing is under review), releasing due stories as their time comes."""
    clock = now or (lambda: local_now(newsroom))
    started = clock()
    wait = ReviewWait(cutoff=cutoff or cutoff_for(newsroom, day, started))
    wait.pending_at_start = under_review(store, day)
    poll = max(0.05, newsroom.settings.nightly.poll_seconds)
    while True:
        current = clock()
        wait.released += release_due(newsroom, store, now=current)
        pending = under_review(store, day)
        if not pending or current >= wait.cutoff:
            wait.left_out = pending
            break
        progress.report(f"Chờ duyệt {len(pending)} bài đến {wait.cutoff:%H:%M %d/%m}")
        sleep(min(poll, (wait.cutoff - current).total_seconds()))
    wait.waited_seconds = (clock() - started).total_seconds()
    return wait
