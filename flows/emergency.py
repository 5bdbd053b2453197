"""Flow: an emergency bulletin, voiced and assembled at once for the chosen stations."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from zoneinfo import ZoneInfo

from flows.orchestration import flow, task

from flows import runtime
from flows.models import DISTRICT, Priority
from flows.pipeline.emergency import add_emergency_story, emergency_slot
from flows.synthesise import SynthesiseReport, synthesise


@task
def record_emergency(content: str | None, title: str, text: str, audience: list[str], now: datetime,
                     actor: str) -> int:
    newsroom = runtime.newsroom(content)
    return add_emergency_story(newsroom, runtime.store(content), title, text, audience, now, actor)


@flow(name="emergency")
def emergency(title: str, text: str, stations: list[str] | None = None, content: str | None = None,
              actor: str = "biên tập viên") -> SynthesiseReport:
    """Voice one urgent item and build bulletins for the chosen stations (default: all) now."""
    newsroom = runtime.newsroom(content)
    chosen = [newsroom.station(s) for s in stations] if stations else newsroom.stations
    all_stations = len(chosen) == len(newsroom.stations)
    audience = [DISTRICT] if all_stations or any(s.is_district for s in chosen) else [
        s.commune for s in chosen if s.commune]
    now = datetime.now(ZoneInfo(newsroom.settings.district.timezone))
    story_id = record_emergency(content, title, text, audience, now, actor)
    slot = emergency_slot(now)
    return synthesise(content, day=now.date(), stations=[s.id for s in chosen], story_ids=[story_id],
                      priority=int(Priority.EMERGENCY), extra_slot=asdict(slot))
