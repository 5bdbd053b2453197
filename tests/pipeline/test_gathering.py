"""Keeping what sources gave: counts for the summary, failed items kept, retries only when worth it."""

from __future__ import annotations

from pathlib import Path

from prefect.states import Failed

from flows import runtime
from flows.ingest import Gathered, GatherError, TransientGatherError
from flows.models import SourceFailure, SubmittedStory
from flows.orchestration import retry_transient
from flows.pipeline.gathering import keep


def test_only_transient_errors_are_retried() -> None:
    assert retry_transient(None, None, Failed(data=TransientGatherError("HTTP 503"))) is True  # type: ignore[arg-type]
    assert retry_transient(None, None, Failed(data=GatherError("HTTP 404"))) is False  # type: ignore[arg-type]
    assert retry_transient(None, None, Failed(data=ValueError("bug"))) is False  # type: ignore[arg-type]


def test_keep_counts_new_known_and_failed_and_keeps_failed_items(content_dir: Path) -> None:
    newsroom, store = runtime.newsroom(str(content_dir)), runtime.store(str(content_dir))
    source = newsroom.source("hop-thu")
    good = SubmittedStory(source_id=source.id, external_id="a.txt#1", title="Tin", body="<p>Nội dung</p>")
    bad = SourceFailure(source.id, "Tệp b.docx: định dạng .docx chưa hỗ trợ", item="b.docx")
    first = keep(store, Gathered(source, [good], [bad]))
    assert (first.gathered, first.new, first.known, first.failed) == (1, 1, 0, 1)
    again = keep(store, Gathered(source, [good], [bad]))
    assert (again.new, again.known, again.failed) == (0, 1, 1)
    failed = [r for r in store.stories() if r.state == "failed"]
    assert [(r.external_id, r.failure) for r in failed] == [("b.docx", bad.reason)]
    (run,) = [r for r in store.last_source_runs() if r.source_id == source.id]
    assert (run.gathered, run.new, run.known, run.failed) == (1, 0, 1, 1)
