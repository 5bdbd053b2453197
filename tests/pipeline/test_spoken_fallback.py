"""A spoken form that falls back is never silent: the story carries a proofreading warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import pipeline, runtime
from flows.models import SubmittedStory
from flows.text import FALLBACK_CODE


def test_a_fallback_reading_is_a_warning_on_the_story(content_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.text.spoken as spoken

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("rule failed")

    monkeypatch.setattr(spoken, "_spoken", broken)
    newsroom, store = runtime.open_newsroom(str(content_dir))
    sid = store.add_submission(SubmittedStory("phong-vhtt", "f", "Tin số 5", "<p>Ngày 5/6/2023 có 12 hộ.</p>"),
                               newsroom.source("phong-vhtt"))
    pipeline.normalise(newsroom, store)
    story = store.story(sid)
    assert story.spoken_text  # the story can still be read on air
    assert [w for w in story.warnings if w.code == FALLBACK_CODE], story.warnings
