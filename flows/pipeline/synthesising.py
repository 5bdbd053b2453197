"""Plan which speech each station's bulletins need, so every unique piece is voiced once.

The plan reads the store but writes nothing: bulletins.py voices each VoiceJob once, then builds one
bulletin per station and slot from the voiced clips, without re-encoding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
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
    over_bed: bool = False  # read over a music bed (the station ident)...
    bed: Path | None = None  # ...the station's own bed file, else the project's


@dataclass
class StationBulletin:
    request: BulletinRequest
    opening: str  # VoiceJob keys
    closing: str
    items: dict[int, str]  # story id -> VoiceJob key
    jingles: dict[str, Path] = field(default_factory=dict)  # "opening"/"closing" -> recorded file
    sting: Path | None = None  # the station's own sting file (used only if the station asks for stings)


@dataclass
class BroadcastPlan:
    day: date
    jobs: dict[str, VoiceJob] = field(default_factory=dict)
    bulletins: list[StationBulletin] = field(default_factory=list)
    portal_jobs: dict[int, str] = field(default_factory=dict)  # story id -> job key for its portal MP3
    idle: list[Station] = field(default_factory=list)  # stations with no story valid on the day

    def job(self, text: str, profile: AudioProfile, story_id: int | None = None, over_bed: bool = False,
            bed: Path | None = None) -> str:
        named = (text, profile) if not over_bed else (text, profile, "bed", str(bed or ""))
        key = hashlib.sha256(repr(named).encode("utf-8")).hexdigest()[:16]
        self.jobs.setdefault(key, VoiceJob(key, text, profile, story_id, over_bed, bed if over_bed else None))
        return key


def station_hears(station: Station, story: Story) -> bool:
    """Who hears a story: the stations it names (an emergency for chosen stations), else by audience:
    district-wide stories go everywhere, a commune's own stories go to it and to the district station."""
    if story.stations:
        return station.id in story.stations
    return station.is_district or DISTRICT in story.audience or station.commune in story.audience


def plan_broadcasts(newsroom: Newsroom, store: Store, day: date, lexicon: Lexicon,
                    stations: Iterable[Station] | None = None, slots: Iterable[str] | None = None,
                    story_ids: Iterable[int] | None = None, priority: Priority | None = None,
                    extra_slot: Slot | None = None) -> BroadcastPlan:
    """Which stories each station's bulletins of `day` may carry, and the unique speech they need.

    A story is a candidate on every day of its air window (and weekday, if it names some); which of the
    candidates fit a slot is decided when the bulletin is built, with the clips' real durations, by
    priority and fair rotation (`BulletinItem.aired`). Rebuilding a day gives the same bulletins.
    `story_ids` with `extra_slot` builds one slot outside the schedule (an emergency bulletin).
    """
    plan = BroadcastPlan(day)
    approved = [r for r in store.stories(*ON_AIR_OR_WEB, ids=list(story_ids) if story_ids is not None else None)
                if r.reading]
    rows = [r for r in approved if story_ids is not None or r.airs_on(day)]
    lexicon_stations = set(lexicon.stations())
    for station in stations if stations is not None else newsroom.stations:
        mine = [r for r in rows if station_hears(station, r)]
        if not mine:
            plan.idle.append(station)
            continue
        aired = store.airings(station.id, day)
        keys = {r.id: plan.job(_spoken_for(r, station, lexicon, lexicon_stations), station.audio, r.id)
                for r in mine}
        items = tuple(_item(r, plan.jobs[keys[r.id]].text, priority, station, aired[r.id]) for r in mine)
        jingles = {kind: path for kind in ("opening", "closing")
                   if (path := find_jingle(newsroom.content / "jingles", station.id, kind)) is not None}
        bed = find_jingle(newsroom.content / "jingles", station.id, "bed") if station.bed else None
        sting = find_jingle(newsroom.content / "jingles", station.id, "sting") if station.stings else None
        for slot in (extra_slot,) if extra_slot is not None else station.slots:
            if slots is not None and slot.id not in set(slots):
                continue
            request = BulletinRequest(station=station, slot=slot, day=day, items=items)
            opening = plan.job(spoken_form(opening_text(request), lexicon=lexicon, station=station.id), station.audio,
                               over_bed=station.bed, bed=bed)
            closing = plan.job(spoken_form(closing_text(request), lexicon=lexicon, station=station.id), station.audio)
            plan.bulletins.append(StationBulletin(request, opening, closing, dict(keys), jingles, sting))
    district = next((s for s in newsroom.stations if s.is_district), None)
    if district is not None:
        for row in approved:  # every story on the portal gets its own MP3, on the air that day or not
            if row.audio_path and Path(row.audio_path).is_file():  # voiced for the portal by an earlier run
                continue
            plan.portal_jobs[row.id] = plan.job(row.reading, district.audio, row.id)
    return plan


def _spoken_for(row: Story, station: Station, lexicon: Lexicon, lexicon_stations: set[str]) -> str:
    if row.spoken_override:  # an editor's own reading wins everywhere
        return row.spoken_override
    # Local pronunciations: a station with its own lexicon entries reads the story its own way.
    if station.id in lexicon_stations:
        return spoken_form(f"{row.title}.\n{row.body_text}", lexicon=lexicon, station=station.id)
    return row.spoken_text or ""


def _item(row: Story, spoken: str, priority: Priority | None, station: Station, aired: int) -> BulletinItem:
    return BulletinItem(
        story_id=row.id, title=row.title, spoken_text=spoken,
        priority=priority if priority is not None else Priority(row.priority),
        published_at=row.dated, district_wide=DISTRICT in row.audience,
        own=not station.is_district and station.commune in row.audience and DISTRICT not in row.audience,
        aired=aired,
    )
