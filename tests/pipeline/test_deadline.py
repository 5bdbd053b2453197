"""The nightly run's approval deadline: it waits for the stories still under review until the cut-off, takes
the editors' decisions and the review windows that end meanwhile, and never waits past the cut-off."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from flows import pipeline, runtime
from flows.models import StoryState
from flows.pipeline import deadline
from flows.pipeline.normalising import local_now


class Clock:
    """Time that moves only when the run sleeps (no waiting in tests)."""

    def __init__(self, start: datetime) -> None:
        self.now, self.slept = start, []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)


def _desk(content_dir: Path):  # type: ignore[no-untyped-def]
    # The inbox is not trusted here: its stories wait for an editor (the farmers' union keeps its 2-hour window).
    sources = content_dir / "sources.toml"
    text = sources.read_text(encoding="utf-8")
    head, inbox = text.split('id = "hop-thu"')
    sources.write_text(head + 'id = "hop-thu"' + inbox.replace("trusted = true", "trusted = false", 1), encoding="utf-8")
    newsroom, store = runtime.open_newsroom(str(content_dir))
    pipeline.gather(newsroom, store)
    report = pipeline.normalise(newsroom, store)
    return newsroom, store, report


def _day_of(store, story_id: int) -> date:  # type: ignore[no-untyped-def]
    return store.story(story_id).air_from


def test_nothing_waits_past_the_cut_off(content_dir: Path) -> None:
    newsroom, store, report = _desk(content_dir)
    waiting = report.waiting[0]  # an untrusted source's story: only an editor decides
    day = _day_of(store, waiting)
    clock = Clock(local_now(newsroom))
    cutoff = clock.now + timedelta(minutes=10)
    wait = deadline.await_reviews(newsroom, store, day, cutoff=cutoff, now=clock, sleep=clock.sleep)
    assert waiting in wait.pending_at_start and waiting in wait.left_out
    assert clock.now == cutoff and wait.waited_seconds == 600
    assert store.story(waiting).state is StoryState.NORMALISED  # not approved by waiting


def test_an_editors_approval_while_waiting_goes_into_the_night(content_dir: Path) -> None:
    newsroom, store, report = _desk(content_dir)
    day = _day_of(store, report.waiting[0])
    clock = Clock(local_now(newsroom))

    def editor_decides(seconds: float) -> None:
        clock.sleep(seconds)
        pending = deadline.under_review(store, day)
        pipeline.approve(store, pending, "biên tập viên")

    wait = deadline.await_reviews(newsroom, store, day, cutoff=clock.now + timedelta(hours=1), now=clock,
                                  sleep=editor_decides)
    assert wait.left_out == [] and len(clock.slept) == 1  # it stopped waiting once nothing was left to decide
    assert all(store.story(i).state is StoryState.APPROVED for i in wait.pending_at_start)


def test_review_windows_that_end_before_the_cut_off_are_released(content_dir: Path) -> None:
    newsroom, store, report = _desk(content_dir)
    assert report.in_review, "the demo has trusted sources with a review window"
    story = store.story(report.in_review[0])
    day = story.air_from
    clock = Clock(local_now(newsroom))
    cutoff = story.review_until + timedelta(minutes=5)
    wait = deadline.await_reviews(newsroom, store, day, cutoff=cutoff, now=clock, sleep=clock.sleep)
    assert story.id in wait.released and store.story(story.id).state is StoryState.APPROVED
    assert clock.now <= cutoff


def test_the_cut_off_is_the_evening_before_and_bounded(content_dir: Path) -> None:
    newsroom = runtime.newsroom(str(content_dir))
    day = date(2026, 12, 2)
    assert deadline.cutoff_for(newsroom, day, datetime(2026, 12, 1, 22, 30)) == datetime(2026, 12, 1, 23, 30)
    late_start = datetime(2026, 12, 1, 20, 0)  # 90 minutes at most, whatever the configured cut-off
    assert deadline.cutoff_for(newsroom, day, late_start) == datetime(2026, 12, 1, 21, 30)
    past = deadline.await_reviews(newsroom, runtime.store(str(content_dir)), date(2023, 12, 1))
    assert past.waited_seconds < 60 and past.cutoff < local_now(newsroom)  # an old day: no wait at all
