"""Flow: voice each unique piece of speech once, then build every station's bulletins from the clips.

Tasks are coarse on purpose (FIELD-NOTES: the server absorbs ~40 task runs/s): one per unique
speech to voice and one per station bulletin, never one per story × station.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flows.orchestration import ThreadPoolTaskRunner, flow, task

from flows import progress, runtime
from flows.audio import (
    BulletinResult,
    SynthesisCache,
    VoicedClip,
    build_bulletin,
    clip_from_recording,
    engine_chain,
    voice_text,
    write_story_audio,
)
from flows.audio.errors import AudioError
from flows.models import AudioProfile, Priority, Slot
from flows.pipeline.publishing import story_audio_path
from flows.pipeline.synthesising import StationBulletin, VoiceJob, plan_broadcasts


@dataclass
class StationReport:
    station_id: str
    station_name: str
    slot_id: str
    slot_name: str
    path: str
    duration_seconds: float
    stories: int
    dropped: int
    written: bool


@dataclass
class SynthesiseReport:
    day: date
    voiced: int = 0  # unique pieces of speech in the plan
    bulletins: list[StationReport] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    story_audio_written: int = 0


def next_broadcast_day(timezone: str) -> date:
    """The nightly run builds tomorrow morning's bulletins (Vietnam time)."""
    return (datetime.now(ZoneInfo(timezone)) + timedelta(days=1)).date()


@task(task_run_name="voice-{job.key}")
def voice(content: str | None, job: VoiceJob) -> VoicedClip:
    settings = runtime.newsroom(content).settings
    chain = engine_chain(job.profile, _engine_options(content))
    return voice_text(job.text, job.profile, SynthesisCache(settings.audio.cache), chain=chain)


@task
def jingle(content: str | None, path: str, profile: AudioProfile) -> VoicedClip:
    settings = runtime.newsroom(content).settings
    return clip_from_recording(Path(path), profile, SynthesisCache(settings.audio.cache))


@task(task_run_name="bulletin-{station_bulletin.request.station.id}-{station_bulletin.request.slot.id}")
def assemble(content: str | None, station_bulletin: StationBulletin, clips: dict[int, VoicedClip],
             opening: list[VoicedClip], closing: list[VoicedClip]) -> BulletinResult:
    settings = runtime.newsroom(content).settings
    result = build_bulletin(station_bulletin.request, clips, opening, closing, settings.audio.output)
    request = station_bulletin.request
    runtime.store(content).record_broadcast(
        request.station.id, request.day, request.slot.id, str(result.path),
        [(story_id, result.engines.get(story_id, "")) for story_id in result.items],
    )
    return result


# Voicing is CPU-bound ffmpeg and TTS work: more threads than cores only multiplies the audio held in
# memory (bench/nightly.py measured ~1 GB with an unbounded pool on the demo content).
@flow(name="synthesise",
      task_runner=ThreadPoolTaskRunner(max_workers=max(2, os.cpu_count() or 2)))  # type: ignore[arg-type]
def synthesise(content: str | None = None, day: date | None = None, stations: list[str] | None = None,
               slots: list[str] | None = None, story_ids: list[int] | None = None,
               priority: int | None = None, extra_slot: dict | None = None) -> SynthesiseReport:
    """Build the bulletins of `day` (default: tomorrow) for every station, or the named ones.

    `extra_slot` (id, name, time, max_seconds) builds that one slot instead of the stations' own.
    """
    newsroom = runtime.newsroom(content)
    store = runtime.store(content)
    day = day or next_broadcast_day(newsroom.settings.district.timezone)
    chosen = [newsroom.station(s) for s in stations] if stations else None
    plan = plan_broadcasts(newsroom, store, day, newsroom.lexicon(), stations=chosen, slots=slots,
                           story_ids=story_ids, priority=Priority(priority) if priority is not None else None,
                           extra_slot=Slot(**extra_slot) if extra_slot else None)
    report = SynthesiseReport(day=day, voiced=len(plan.jobs))

    futures = {key: voice.submit(content, job) for key, job in plan.jobs.items()}
    clips: dict[str, VoicedClip] = {}
    for done, (key, future) in enumerate(futures.items(), start=1):
        progress.report("Đọc thành tiếng", done, len(futures))
        try:
            clips[key] = future.result()
        except AudioError as exc:
            job = plan.jobs[key]
            message = f"Không đọc được thành tiếng: {exc}"
            report.failures.append(f"Bài số {job.story_id}: {message}" if job.story_id else message)
            if job.story_id is not None:
                store.note(job.story_id, message)

    # A recorded jingle is prepared once per file and station format, however many bulletins play it.
    recordings = {(str(path), b.request.station.audio) for b in plan.bulletins for path in b.jingles.values()}
    jingle_futures = {recording: jingle.submit(content, *recording) for recording in recordings}
    jingles: dict[tuple[str, AudioProfile], VoicedClip | AudioError] = {}
    for recording, jingle_future in jingle_futures.items():
        try:
            jingles[recording] = jingle_future.result()
        except AudioError as exc:
            jingles[recording] = exc

    for done, station_bulletin in enumerate(plan.bulletins, start=1):
        request = station_bulletin.request
        progress.report("Ghép bản tin", done, len(plan.bulletins))
        if station_bulletin.opening not in clips or station_bulletin.closing not in clips:
            report.failures.append(f"{request.station.name}: không tạo được lời giới thiệu bản tin.")
            continue
        opening, closing = [clips[station_bulletin.opening]], [clips[station_bulletin.closing]]
        for kind, path in station_bulletin.jingles.items():
            recorded = jingles[(str(path), request.station.audio)]
            if isinstance(recorded, AudioError):
                report.failures.append(f"{request.station.name}: nhạc hiệu {path.name} lỗi: {recorded}")
                continue
            if kind == "opening":
                opening.insert(0, recorded)
            else:
                closing.append(recorded)
        items = {sid: clips[key] for sid, key in station_bulletin.items.items() if key in clips}
        try:
            result = assemble(content, station_bulletin, items, opening, closing)
        except (AudioError, OSError) as exc:
            report.failures.append(f"{request.station.name} ({request.slot.name}): không ghi được bản tin: {exc}")
            continue
        report.bulletins.append(StationReport(
            request.station.id, request.station.name, request.slot.id, request.slot.name, str(result.path),
            result.duration_seconds, len(result.items), len(result.dropped), result.written))

    report.story_audio_written = _portal_audio(content, plan.portal_jobs, clips)
    return report


def _portal_audio(content: str | None, portal_jobs: dict[int, str], clips: dict[str, VoicedClip]) -> int:
    """One MP3 per story for its article page, from the clip the district station already voiced."""
    newsroom, store = runtime.newsroom(content), runtime.store(content)
    written = 0
    for story_id, key in portal_jobs.items():
        if key not in clips:
            continue
        row = store.story(story_id)
        if row is None or not row.slug:
            continue
        rel = story_audio_path(row.slug)
        write_story_audio(clips[key], newsroom.settings.portal.output / rel, title=row.title,
                          artist=newsroom.settings.district.centre)
        store.set_audio(story_id, rel.as_posix())
        written += 1
    return written


def _engine_options(content: str | None) -> dict:
    from flows.audio.engines import engine_options

    return engine_options(runtime.newsroom(content).settings.audio)
