"""Plan which speech each station's bulletins need, so every unique piece is voiced once.

The plan reads the store but writes nothing: bulletins.py voices each VoiceJob once, then builds one
bulletin per station and slot from the voiced clips, without re-encoding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from flows.audio.ident import closing_text, find_jingle, opening_text
from flows.content import Newsroom
from flows.models import DISTRICT, AudioProfile, BulletinItem, BulletinRequest, Priority, Slot, Station, Story
from flows.store import ON_AIR_OR_WEB, Store
from flows.text import Lexicon, spoken_form


@dataclass(frozen=True)
class VoiceJob:
    """One unique piece of speech in one audio profile; its key names it in the plan."""

    key: str
    text: str
    profile: AudioProfile
    story_id: int | None = None


@dataclass
class StationBulletin:
    request: BulletinRequest
    opening: str  # VoiceJob keys
    closing: str
    items: dict[int, str]  # story id -> VoiceJob key
    jingles: dict[str, Path] = field(default_factory=dict)  # "opening"/"closing" -> recorded file


@dataclass
class BroadcastPlan:
    day: date
    jobs: dict[str, VoiceJob] = field(default_factory=dict)
    bulletins: list[StationBulletin] = field(default_factory=list)
    portal_jobs: dict[int, str] = field(default_factory=dict)  # story id -> job key for its portal MP3

    def job(self, text: str, profile: AudioProfile, story_id: int | None = None) -> str:
        key = hashlib.sha256(repr((text, profile)).encode("utf-8")).hexdigest()[:16]
        self.jobs.setdefault(key, VoiceJob(key, text, profile, story_id))
        return key


def station_hears(station: Station, audience: Iterable[str]) -> bool:
    """District-wide stories go everywhere; a commune's own stories go to it and the district station."""
    audience = list(audience)
    return station.is_district or DISTRICT in audience or station.commune in audience


def plan_broadcasts(newsroom: Newsroom, store: Store, day: date, lexicon: Lexicon,
                    stations: Iterable[Station] | None = None, slots: Iterable[str] | None = None,
                    story_ids: Iterable[int] | None = None, priority: Priority | None = None,
                    extra_slot: Slot | None = None) -> BroadcastPlan:
    """Which stories each station's bulletins of `day` carry, and the unique speech they need.

    A story goes into the bulletins of the first day built after it was approved; rebuilding that
    day gives the same bulletins, and the next day's no longer carry it. `extra_slot` builds one
    slot outside the schedule (an emergency bulletin) instead of the stations' own slots.
    """
    plan = BroadcastPlan(day)
    rows = store.stories(*ON_AIR_OR_WEB, ids=list(story_ids) if story_ids is not None else None)
    rows = [r for r in rows if r.spoken_text]
    lexicon_stations = set(lexicon.stations())
    for station in stations if stations is not None else newsroom.stations:
        aired = store.aired_before(station.id, day)
        mine = [r for r in rows if r.id not in aired and station_hears(station, r.audience)]
        if not mine:
            continue
        # Worked out once per station; every slot of the day carries the same stories.
        keys = {r.id: plan.job(_spoken_for(r, station, lexicon, lexicon_stations), station.audio, r.id)
                for r in mine}
        items = tuple(_item(r, plan.jobs[keys[r.id]].text, priority) for r in mine)
        jingles = {kind: path for kind in ("opening", "closing")
                   if (path := find_jingle(newsroom.content / "jingles", station.id, kind)) is not None}
        for slot in (extra_slot,) if extra_slot is not None else station.slots:
            if slots is not None and slot.id not in set(slots):
                continue
            request = BulletinRequest(station=station, slot=slot, day=day, items=items)
            opening = plan.job(spoken_form(opening_text(request), lexicon=lexicon, station=station.id), station.audio)
            closing = plan.job(spoken_form(closing_text(request), lexicon=lexicon, station=station.id), station.audio)
            plan.bulletins.append(StationBulletin(request, opening, closing, dict(keys), jingles))
    district = next((s for s in newsroom.stations if s.is_district), None)
    if district is not None:
        for row in rows:
            if row.audio_path and Path(row.audio_path).is_file():  # voiced for the portal by an earlier run
                continue
            plan.portal_jobs[row.id] = plan.job(row.spoken_text or "", district.audio, row.id)
    return plan


def _spoken_for(row: Story, station: Station, lexicon: Lexicon, lexicon_stations: set[str]) -> str:
    # Local pronunciations: a station with its own lexicon entries reads the story its own way.
    if station.id in lexicon_stations:
        return spoken_form(f"{row.title}.\n{row.body_text}", lexicon=lexicon, station=station.id)
    return row.spoken_text or ""


def _item(row: Story, spoken: str, priority: Priority | None) -> BulletinItem:
    return BulletinItem(
        story_id=row.id, title=row.title, spoken_text=spoken,
        priority=priority if priority is not None else Priority(row.priority),
        published_at=row.published_at or row.submitted_at or datetime.min,
        district_wide=DISTRICT in row.audience,
    )
