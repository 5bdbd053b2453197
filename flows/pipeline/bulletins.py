"""Synthesise: voice each unique piece of speech once, then build every station's bulletins from the clips.

Steps are coarse on purpose (FIELD-NOTES: a Prefect server absorbs ~40 task runs/s): one per unique
speech to voice, one per recorded jingle and format, one per station bulletin; never one per story × station.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flows import progress
from flows.runtime import remember_store
from flows.audio import SynthesisCache, VoicedClip, build_bulletin, clip_from_recording, engine_chain, voice_text
from flows.content import Newsroom
from flows.errors import BantinError, OperationalError
from flows.models import AudioProfile, Priority, Slot
from flows.pipeline.fanout import Fanout, Threads
from flows.pipeline.synthesising import StationBulletin, VoiceJob, plan_broadcasts
from flows.settings import Settings
from flows.store import Store


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
    failures: list[str] = field(default_factory=list)  # bulletins that could not be made, and why
    warnings: list[str] = field(default_factory=list)  # a story or jingle left out; the bulletin still made
    story_audio: int = 0  # stories voiced for their article page

    @property
    def ok(self) -> bool:
        return not self.failures


def next_broadcast_day(timezone: str) -> date:
    """The nightly run builds tomorrow morning's bulletins (Vietnam time)."""
    return (datetime.now(ZoneInfo(timezone)) + timedelta(days=1)).date()


def engine_options(settings: Settings) -> dict[str, dict[str, Any]]:
    """Each engine's settings from bantin.toml, in the shape flows.audio.engine_chain takes."""
    audio = settings.audio
    options: dict[str, dict[str, Any]] = {"gtts": {"tld": audio.gtts_tld, "timeout": audio.gtts_timeout_seconds}}
    if audio.piper_model:
        options["piper"] = {"model": audio.piper_model}
    return options


def voice_job(newsroom: Newsroom, job: VoiceJob) -> VoicedClip:
    """Voice one unique piece of speech (or take it from the speech cache)."""
    settings = newsroom.settings
    chain = engine_chain(job.profile, engine_options(settings))
    return voice_text(job.text, job.profile, SynthesisCache(settings.audio.cache), chain=chain)


def prepare_jingle(newsroom: Newsroom, recording: tuple[Path, AudioProfile]) -> VoicedClip:
    """A recorded jingle in a station's format, prepared once per file and format."""
    path, profile = recording
    return clip_from_recording(path, profile, SynthesisCache(newsroom.settings.audio.cache))


def build_station_bulletin(newsroom: Newsroom, store: Store, bulletin: StationBulletin,
                           clips: dict[int, VoicedClip], opening: list[VoicedClip],
                           closing: list[VoicedClip]) -> StationReport:
    """Write one station's bulletin for one slot and note which stories it carried."""
    request = bulletin.request
    try:
        result = build_bulletin(request, clips, opening, closing, newsroom.settings.audio.output)
    except OSError as exc:
        raise OperationalError(f"Không ghi được tệp bản tin ({exc.strerror or exc}).",
                               where=f"{request.station.name} ({request.slot.name})",
                               hint="Kiểm tra quyền ghi và dung lượng của thư mục audio_out.") from exc
    store.record_broadcast(request.station.id, request.day, request.slot.id, str(result.path),
                           [(story_id, result.engines.get(story_id, "")) for story_id in result.items])
    return StationReport(request.station.id, request.station.name, request.slot.id, request.slot.name,
                         str(result.path), result.duration_seconds, len(result.items), len(result.dropped),
                         result.written)


def synthesise(newsroom: Newsroom, store: Store, *, day: date | None = None, stations: Sequence[str] | None = None,
               slots: Sequence[str] | None = None, story_ids: Sequence[int] | None = None,
               priority: Priority | None = None, extra_slot: Slot | None = None,
               fanout: Fanout | None = None) -> SynthesiseReport:
    """Build the bulletins of `day` (default: tomorrow) for every station, or the named ones.

    `extra_slot` builds that one slot instead of the stations' own (an emergency bulletin).
    """
    fanout = fanout or Threads()
    day = day or next_broadcast_day(newsroom.settings.district.timezone)
    chosen = [newsroom.station(s) for s in stations] if stations else None
    plan = plan_broadcasts(newsroom, store, day, newsroom.lexicon(), stations=chosen, slots=slots,
                           story_ids=story_ids, priority=priority, extra_slot=extra_slot)
    report = SynthesiseReport(day=day, voiced=len(plan.jobs))
    if plan.bulletins:
        remember_store(newsroom.settings.audio.output, store)

    progress.report("Đọc thành tiếng", 0, len(plan.jobs))
    jobs = list(plan.jobs.values())
    voiced = fanout.map("voice", lambda job: voice_job(newsroom, job), jobs, label=lambda job: job.key)
    clips: dict[str, VoicedClip] = {}
    for job, got in zip(jobs, voiced):
        if isinstance(got, VoicedClip):
            clips[job.key] = got
            continue
        message = f"Không đọc được thành tiếng: {got.describe()}"
        report.warnings.append(f"Bài số {job.story_id}: {message}" if job.story_id else message)
        if job.story_id is not None:
            store.note(job.story_id, message)

    recordings = sorted({(path, b.request.station.audio) for b in plan.bulletins for path in b.jingles.values()},
                        key=lambda r: (str(r[0]), repr(r[1])))
    prepared = fanout.map("jingle", lambda rec: prepare_jingle(newsroom, rec), recordings,
                          label=lambda rec: rec[0].name)
    jingles = dict(zip(recordings, prepared))

    def assemble(bulletin: StationBulletin) -> StationReport:
        request = bulletin.request
        if bulletin.opening not in clips or bulletin.closing not in clips:
            raise OperationalError("không tạo được lời giới thiệu bản tin.", where=request.station.name)
        opening, closing = [clips[bulletin.opening]], [clips[bulletin.closing]]
        for kind, path in bulletin.jingles.items():
            recorded = jingles[(path, request.station.audio)]
            if isinstance(recorded, BantinError):
                report.warnings.append(f"{request.station.name}: nhạc hiệu {path.name} lỗi: {recorded.describe()}")
            elif kind == "opening":
                opening.insert(0, recorded)
            else:
                closing.append(recorded)
        items = {sid: clips[key] for sid, key in bulletin.items.items() if key in clips}
        return build_station_bulletin(newsroom, store, bulletin, items, opening, closing)

    progress.report("Ghép bản tin", 0, len(plan.bulletins))
    built = fanout.map("bulletin", assemble, plan.bulletins,
                       label=lambda b: f"{b.request.station.id}-{b.request.slot.id}")
    for bulletin, got in zip(plan.bulletins, built):
        if isinstance(got, StationReport):
            report.bulletins.append(got)
        else:
            request = bulletin.request
            report.failures.append(f"{request.station.name} ({request.slot.name}): {got.message}"
                                   if not got.where else got.describe())

    # Each story's own clip, voiced in the district station's format, for its article page.
    for story_id, key in plan.portal_jobs.items():
        if key in clips:
            store.set_audio(story_id, str(clips[key].path))
            report.story_audio += 1
    return report
