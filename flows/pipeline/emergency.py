"""Emergency items: written by the centre, approved at once, aired outside the nightly schedule."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flows.content import Newsroom
from flows.editing.paragraphs import paragraphs_html
from flows.errors import UserError
from flows.models import DISTRICT, EMERGENCY_SOURCE, Priority, Slot, Source, Station, SubmittedStory
from flows.pipeline.bulletins import SynthesiseReport, synthesise
from flows.pipeline.fanout import Fanout
from flows.pipeline.normalising import prepare
from flows.store import Store


def emergency_source(newsroom: Newsroom) -> Source:
    return Source(id=EMERGENCY_SOURCE, name=newsroom.settings.district.centre, kind="emergency",
                  location="", trusted=True)


def emergency_slot(now: datetime, max_seconds: float = 900) -> Slot:
    """A slot named by the minute it was ordered, so two alerts of one day never overwrite each other."""
    return Slot(id=f"khan-cap-{now:%H%M}", name="khẩn cấp", time=f"{now:%H:%M}", max_seconds=max_seconds)


def add_emergency_story(newsroom: Newsroom, store: Store, title: str, text: str, audience: list[str],
                        now: datetime, actor: str, stations: Sequence[str] = ()) -> int:
    """Store the item and approve it in one step (an emergency waits for no nightly run)."""
    if not title.strip() or not text.strip():
        raise UserError("Tin khẩn cấp cần có tiêu đề và nội dung.", hint="Dùng --title và --text (hoặc --file).")
    source = emergency_source(newsroom)
    ident = hashlib.sha256(f"{now.isoformat()}|{title}|{text}".encode()).hexdigest()[:24]
    story = SubmittedStory(source_id=source.id, external_id=ident, title=title.strip(), body=paragraphs_html(text),
                           published_at=now.replace(tzinfo=None), author=newsroom.settings.district.centre,
                           audience=tuple(audience or [DISTRICT]),
                           priority=Priority.EMERGENCY)
    story_id = store.add_submission(story, source)
    if story_id is None:
        raise UserError("Tin khẩn cấp này vừa được gửi rồi.")
    store.note(story_id, f"Tin khẩn cấp do {actor} phát", actor=actor)
    ready = replace(prepare(store.story(story_id), newsroom, newsroom.lexicon()), movements=[])
    today = now.date()
    # Airs now, and in the chosen stations' next bulletins until tomorrow: nowhere else.
    store.save_normalised(story_id, ready.to_store(f"khan-cap-{story_id}", (today, today + timedelta(days=1)),
                                                   kind="emergency", stations=list(stations)),
                          duplicate_of=None, approve=True)
    return story_id


def emergency_audience(chosen: Sequence[Station], all_stations: Sequence[Station]) -> list[str]:
    """Who the item is for: the whole district when every station (or the district's) airs it, else the communes."""
    if len(chosen) == len(all_stations) or any(s.is_district for s in chosen):
        return [DISTRICT]
    return [s.commune for s in chosen if s.commune]


def emergency(newsroom: Newsroom, store: Store, title: str, text: str, stations: Sequence[str] | None = None,
              actor: str = "biên tập viên", now: datetime | None = None,
              fanout: Fanout | None = None) -> SynthesiseReport:
    """Voice one urgent item and build bulletins for the chosen stations (default: all) now."""
    chosen = [newsroom.station(s) for s in stations] if stations else list(newsroom.stations)
    now = now or datetime.now(ZoneInfo(newsroom.settings.district.timezone))
    story_id = add_emergency_story(newsroom, store, title, text, emergency_audience(chosen, newsroom.stations),
                                   now, actor, stations=[s.id for s in chosen])
    return synthesise(newsroom, store, day=now.date(), stations=[s.id for s in chosen], story_ids=[story_id],
                      priority=Priority.EMERGENCY, extra_slot=emergency_slot(now), fanout=fanout)
