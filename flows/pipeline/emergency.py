"""Emergency items: written by the centre, approved at once, aired outside the nightly schedule."""

from __future__ import annotations

import hashlib
from datetime import datetime

from flows.content import Newsroom
from flows.models import DISTRICT, EMERGENCY_SOURCE, Priority, Slot, Source, SubmittedStory
from flows.pipeline.normalising import prepare
from flows.store import Store


def emergency_source(newsroom: Newsroom) -> Source:
    return Source(id=EMERGENCY_SOURCE, name=newsroom.settings.district.centre, kind="emergency",
                  location="", trusted=True)


def emergency_slot(now: datetime, max_seconds: float = 900) -> Slot:
    """A slot named by the minute it was ordered, so two alerts of one day never overwrite each other."""
    return Slot(id=f"khan-cap-{now:%H%M}", name="khẩn cấp", time=f"{now:%H:%M}", max_seconds=max_seconds)


def add_emergency_story(newsroom: Newsroom, store: Store, title: str, text: str, audience: list[str],
                        now: datetime, actor: str) -> int:
    """Store the item and approve it in one step (an emergency waits for no nightly run)."""
    if not title.strip() or not text.strip():
        raise ValueError("Tin khẩn cấp cần có tiêu đề và nội dung.")
    source = emergency_source(newsroom)
    ident = hashlib.sha256(f"{now.isoformat()}|{title}|{text}".encode()).hexdigest()[:24]
    paragraphs = "".join(f"<p>{p.strip()}</p>" for p in text.split("\n\n") if p.strip())
    story = SubmittedStory(source_id=source.id, external_id=ident, title=title.strip(), body=paragraphs,
                           published_at=now.replace(tzinfo=None), author=actor, audience=tuple(audience or [DISTRICT]),
                           priority=Priority.EMERGENCY)
    story_id = store.add_submission(story, source)
    if story_id is None:
        raise ValueError("Tin khẩn cấp này vừa được gửi rồi.")
    row = store.story(story_id)
    assert row is not None
    ready = prepare(row, newsroom, newsroom.lexicon())
    store.save_normalised(story_id, slug=f"khan-cap-{story_id}", body_html=ready.body_html,
                          body_text=ready.body_text, spoken_text=ready.spoken_text, fingerprint=ready.fingerprint,
                          movements=ready.movements, communes=ready.communes, audience=ready.audience,
                          warnings=ready.warnings, duplicate_of=None, approve=True)
    return story_id
