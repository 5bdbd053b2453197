"""The desk on submitted stories: one bad story fails alone, unknown sources wait for an editor."""

from __future__ import annotations

from pathlib import Path

from flows import runtime
from flows.models import Source, StoryState, SubmittedStory
from flows.pipeline import normalise


def test_bad_story_fails_alone_and_unknown_source_waits_for_an_editor(content_dir: Path) -> None:
    newsroom, store = runtime.newsroom(str(content_dir)), runtime.store(str(content_dir))
    trusted = newsroom.source("phong-vhtt")
    gone = Source(id="nguon-cu", name="Nguồn đã bỏ", kind="feed", location="x", audience=("than-sa",), trusted=True)
    ok = store.add_submission(SubmittedStory("phong-vhtt", "1", "Tin tốt", "<p>Xã Thần Sa làm đường.</p>"), trusted)
    empty = store.add_submission(SubmittedStory("phong-vhtt", "2", "Chỉ ảnh", "<p><img src='a.jpg'></p>"), trusted)
    orphan = store.add_submission(SubmittedStory("nguon-cu", "3", "Tin cũ", "<p>Nội dung cũ.</p>"), gone)
    report = normalise(newsroom, store)
    assert report.approved == [ok] and report.ready == [ok, orphan]
    assert set(report.failed) == {empty} and "không còn nội dung" in report.failed[empty]
    states = {r.id: r.state for r in store.stories()}
    assert states == {ok: StoryState.APPROVED.value, empty: StoryState.FAILED.value,
                      orphan: StoryState.NORMALISED.value}
    row = store.story(ok)
    assert row is not None and row.communes == ("than-sa",) and row.spoken_text
