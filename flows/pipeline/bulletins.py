"""Synthesise: voice each unique piece of speech once, then build every station's bulletins from the clips.

Steps are coarse on purpose (FIELD-NOTES: a Prefect server absorbs ~40 task runs/s): one per unique
speech to voice, one per recorded jingle and format, one per station bulletin; never one per story × station.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flows import progress
from flows.runtime import remember_store
from flows.audio import (BulletinResult, SynthesisCache, VoicedClip, build_bulletin, clip_from_recording, engine_chain,
                         plan_for, voice_text)
from flows.audio.engines import EngineChain
from flows.audio.ident import headlines_text
from flows.audio.production import BedMix, PreparedBed, sting_clip
from flows.audio.production import prepare_bed as production_bed
from flows.audio.voice import cached_clip
from flows.content import Newsroom
from flows.errors import BantinError, OperationalError, TransientError
from flows.models import AudioProfile, Priority, Slot, Station
from flows.pipeline.fanout import Fanout, Threads
from flows.pipeline.storage import bring_home, copy_bulletin, speech_cache
from flows.pipeline.synthesising import StationBulletin, VoiceJob, plan_broadcasts
from flows.settings import Settings
from flows.store import Store
from flows.store.locks import holding
from flows.text import Lexicon, spoken_form

HEADLINE_ESTIMATE_S = 4.0  # room kept per headline before the titles are known and voiced


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
    idle: list[str] = field(default_factory=list)  # stations with nothing valid to air that day
    story_audio: int = 0  # stories voiced for their article page

    @property
    def ok(self) -> bool:
        return not self.failures


def next_broadcast_day(timezone: str) -> date:
    """The nightly run builds tomorrow morning's bulletins (Vietnam time)."""
    return (datetime.now(ZoneInfo(timezone)) + timedelta(days=1)).date()


def engine_options(settings: Settings) -> dict[str, dict[str, Any]]:
    """Each engine's settings from bantin.toml (and the vendors' keys from the environment), in the shape
    flows.audio.engine_chain takes."""
    from flows.audio.engines import engine_options as audio_engine_options

    return audio_engine_options(settings.audio)


def voice_job(newsroom: Newsroom, job: VoiceJob,
              beds: Mapping[Path | None, PreparedBed | BantinError] | None = None) -> VoicedClip:
    """Voice one unique piece of speech (or take it from the speech cache); the ident over its bed, from `beds`
    (prepare_bed's results) or prepared now. A bed that could not be prepared leaves the ident without music."""
    return voice_with(newsroom.settings, job, beds)


def voice_with(settings: Settings, job: VoiceJob,
               beds: Mapping[Path | None, PreparedBed | BantinError] | None = None) -> VoicedClip:
    """voice_job from the settings alone: a step that can travel to a Dask worker (no store, no open files)."""
    return voice_text(job.text, job.profile, *_voicing(settings, job, beds))


def already_voiced(settings: Settings, job: VoiceJob,
                   beds: Mapping[Path | None, PreparedBed | BantinError] | None = None) -> VoicedClip | None:
    """voice_with's clip when the speech cache has it already (nothing to voice), else None."""
    try:
        return cached_clip(job.text, job.profile, *_voicing(settings, job, beds))
    except TransientError:
        # Shared storage out of reach: not known to be voiced. The voicing step meets the same error and it
        # fails that bulletin alone, with its reason, instead of the whole run here.
        return None


def _voicing(settings: Settings, job: VoiceJob, beds: Mapping[Path | None, PreparedBed | BantinError] | None
             ) -> tuple[SynthesisCache, EngineChain, BedMix | None]:
    cache = speech_cache(settings)
    chain = engine_chain(job.profile, engine_options(settings))
    production = None
    if job.over_bed:
        bed: PreparedBed | BantinError
        if beds is not None and job.bed in beds:
            bed = beds[job.bed]
        else:
            try:
                bed = production_bed(cache, job.bed)
            except BantinError as exc:
                bed = exc
        production = BedMix(bed) if isinstance(bed, PreparedBed) else None
    return cache, chain, production


def prepare_bed(newsroom: Newsroom, recording: Path | None) -> PreparedBed:
    """A station's bed file (None: the project's pad) ready to mix under the idents, prepared once per file."""
    return production_bed(speech_cache(newsroom.settings), recording)


def prepare_jingle(settings: Settings, recording: tuple[Path, AudioProfile]) -> VoicedClip:
    """A recorded jingle in a station's format, prepared once per file and format (from the settings alone,
    like voice_with)."""
    path, profile = recording
    return clip_from_recording(path, profile, speech_cache(settings))


def prepare_sting(newsroom: Newsroom, sting: tuple[Path | None, AudioProfile]) -> VoicedClip:
    """The sting between items (a station's file, else the project's chime), once per source and format."""
    path, profile = sting
    return sting_clip(profile, speech_cache(newsroom.settings), path)


def _after_earlier_slots(bulletin: StationBulletin, earlier: Counter[int]) -> StationBulletin:
    """The slot's items knowing what the day's earlier bulletins of the station carried."""
    if not earlier:
        return bulletin
    items = tuple(replace(i, aired=i.aired + earlier[i.story_id], new=i.story_id not in earlier)
                  for i in bulletin.request.items)
    return replace(bulletin, request=replace(bulletin.request, items=items))


@dataclass(frozen=True)
class StationWork:
    """One station's bulletins of the day and all that assembling them reads: its clips, its recorded jingles and
    its sting. No store and no open file, so the step can travel to a Dask worker (flows/pipeline/cluster.py)."""

    bulletins: list[StationBulletin]
    clips: dict[str, VoicedClip]  # VoiceJob key -> clip, for this station's openings, closings and items
    jingles: dict[tuple[Path, AudioProfile], VoicedClip | BantinError]
    sting: VoicedClip | BantinError | None = None  # prepared for stations that ask for stings


@dataclass(frozen=True)
class AssembledSlot:
    """A slot's bulletin written to audio_out (and copied to shared storage), not yet recorded in the store."""

    bulletin: StationBulletin
    result: BulletinResult
    warnings: tuple[str, ...]  # a jingle or sting left out; the bulletin still made


def assemble_station(settings: Settings, lexicon: Lexicon, work: StationWork) -> list[AssembledSlot | BantinError]:
    """Build one station's slots in order (the evening knows what the morning carried); a slot that fails gives its
    error in its place and the next slot is still built."""
    earlier: Counter[int] = Counter()
    built: list[AssembledSlot | BantinError] = []
    for bulletin in work.bulletins:
        try:
            slot = assemble_slot(settings, lexicon, _after_earlier_slots(bulletin, earlier), work)
        except BantinError as exc:
            built.append(exc)
            continue
        earlier.update(slot.result.items)
        built.append(slot)
    return built


def assemble_slot(settings: Settings, lexicon: Lexicon, bulletin: StationBulletin, work: StationWork) -> AssembledSlot:
    """Choose what fits one slot, voice its headlines, write it (and its copy on shared storage)."""
    request = bulletin.request
    station = request.station
    voiced = work.clips
    if bulletin.opening not in voiced or bulletin.closing not in voiced:
        raise OperationalError("không tạo được lời giới thiệu bản tin.", where=station.name)
    warnings: list[str] = []
    opening, closing = [voiced[bulletin.opening]], [voiced[bulletin.closing]]
    between: VoicedClip | None = None
    if isinstance(work.sting, BantinError):
        warnings.append(f"{station.name}: nhạc chuyển tin lỗi, giữa các tin chỉ có khoảng lặng: {work.sting.describe()}")
    else:
        between = work.sting
    for kind, path in bulletin.jingles.items():
        recorded = work.jingles[(path, station.audio)]
        if isinstance(recorded, BantinError):
            warnings.append(f"{station.name}: nhạc hiệu {path.name} lỗi: {recorded.describe()}")
        elif kind == "opening":
            opening.insert(0, recorded)
        else:
            closing.append(recorded)
    clips = {sid: voiced[key] for sid, key in bulletin.items.items() if key in voiced}
    plan = plan_for(request, clips, opening, closing, extra_seconds=HEADLINE_ESTIMATE_S * station.headlines,
                    between_items=between)
    # Each slot's headlines are speech of their own, voiced here: on a cluster, on the worker that assembles.
    headline = _headline_clip(settings, lexicon, station, [i.title for i in plan.items])
    if headline is not None:
        opening.append(headline)
        plan = plan_for(request, clips, opening, closing, between_items=between)
    try:
        result = build_bulletin(request, clips, opening, closing, settings.audio.output, plan=plan,
                                between_items=between)
    except OSError as exc:
        raise OperationalError(f"Không ghi được tệp bản tin ({exc.strerror or exc}).",
                               where=f"{station.name} ({request.slot.name})",
                               hint="Kiểm tra quyền ghi và dung lượng của thư mục audio_out.") from exc
    # A province's shared audio_out gets its copy before the broadcast is recorded: a copy that failed (storage
    # down) fails this bulletin with a transient error, and the next run copies it.
    copy_bulletin(settings, [result.path, result.transcript_path, result.manifest_path])
    return AssembledSlot(bulletin, result, tuple(warnings))


def _headline_clip(settings: Settings, lexicon: Lexicon, station: Station, titles: list[str]) -> VoicedClip | None:
    text = headlines_text(titles, station.headlines)
    if not text:
        return None
    spoken = spoken_form(text, lexicon=lexicon, station=station.id)
    return voice_with(settings, VoiceJob(key="headlines", text=spoken, profile=station.audio))


def record_slots(store: Store, slots: Sequence[AssembledSlot]) -> list[StationReport]:
    """Note in the store which stories the written bulletins carried, in one transaction (in the run's own process,
    where the store is); their lines for the report."""
    if slots:
        store.record_broadcasts(slots[0].bulletin.request.day, [
            (slot.bulletin.request.station.id, slot.bulletin.request.slot.id, str(slot.result.path),
             [(story_id, slot.result.engines.get(story_id, "")) for story_id in slot.result.items])
            for slot in slots])
    return [StationReport(slot.bulletin.request.station.id, slot.bulletin.request.station.name,
                          slot.bulletin.request.slot.id, slot.bulletin.request.slot.name, str(slot.result.path),
                          slot.result.duration_seconds, len(slot.result.items), len(slot.result.dropped),
                          slot.result.written) for slot in slots]


def _station_work(bulletins: list[StationBulletin], clips: dict[str, VoicedClip],
                  jingles: dict[tuple[Path, AudioProfile], VoicedClip | BantinError],
                  stings: dict[tuple[Path | None, AudioProfile], VoicedClip | BantinError]) -> StationWork:
    """A station's share of the voiced clips, jingles and sting (what travels with its assembly step)."""
    station = bulletins[0].request.station
    keys = {k for b in bulletins for k in (b.opening, b.closing, *b.items.values())}
    return StationWork(bulletins, {k: clips[k] for k in keys if k in clips},
                       {(path, station.audio): jingles[(path, station.audio)]
                        for b in bulletins for path in b.jingles.values()},
                       stings.get((bulletins[0].sting, station.audio)) if station.stings else None)


@holding(lambda a: f"synthesise:{a['day'] or next_broadcast_day(a['newsroom'].settings.district.timezone)}")
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

    # The music beds first (one per file, the project's pad at most once), so every ident is mixed as it is voiced.
    bed_sources = sorted({job.bed for job in plan.jobs.values() if job.over_bed}, key=lambda p: str(p or ""))
    prepared_beds = fanout.map("bed", lambda src: prepare_bed(newsroom, src), bed_sources,
                               label=lambda src: src.name if src is not None else "generated")
    beds: dict[Path | None, PreparedBed | BantinError] = dict(zip(bed_sources, prepared_beds))
    for src, bed in beds.items():
        if isinstance(bed, BantinError):
            report.warnings.append(f"Nhạc nền {src.name if src else 'của bantin'} không dùng được, lời giới thiệu "
                                   f"được đọc không có nhạc: {bed.describe()}")

    progress.report("Đọc thành tiếng", 0, len(plan.jobs))
    # Speech already in the cache is taken here: a step (a task under Prefect) only for what is still to voice,
    # so a rerun that changes nothing schedules no voicing at all.
    done = {job.key: already_voiced(newsroom.settings, job, beds) for job in plan.jobs.values()}
    jobs = [job for job in plan.jobs.values() if done[job.key] is None]
    voiced = fanout.map("voice", functools.partial(voice_with, newsroom.settings, beds=beds), jobs,
                        label=lambda job: job.key)
    clips: dict[str, VoicedClip] = {key: clip for key, clip in done.items() if clip is not None}
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
    prepared = fanout.map("jingle", functools.partial(prepare_jingle, newsroom.settings), recordings,
                          label=lambda rec: rec[0].name)
    jingles = dict(zip(recordings, prepared))
    wanted = {(b.sting, b.request.station.audio) for b in plan.bulletins if b.request.station.stings}
    sting_jobs = sorted(wanted, key=lambda s: (str(s[0] or ""), repr(s[1])))
    made = fanout.map("sting", lambda job: prepare_sting(newsroom, job), sting_jobs,
                      label=lambda job: job[0].name if job[0] is not None else "chime")
    stings = dict(zip(sting_jobs, made))

    by_station: dict[str, list[StationBulletin]] = {}
    for bulletin in plan.bulletins:
        by_station.setdefault(bulletin.request.station.id, []).append(bulletin)
    progress.report("Ghép bản tin", 0, len(plan.bulletins))
    works = [_station_work(group, clips, jingles, stings) for group in by_station.values()]
    results = fanout.map("bulletins", functools.partial(assemble_station, newsroom.settings, newsroom.lexicon()),
                         works, label=lambda w: w.bulletins[0].request.station.id)
    assembled: list[AssembledSlot] = []
    for work, station_result in zip(works, results):
        outcomes = station_result if isinstance(station_result, list) else [station_result] * len(work.bulletins)
        for bulletin, outcome in zip(work.bulletins, outcomes):
            if isinstance(outcome, AssembledSlot):
                try:
                    bring_home(newsroom.settings, outcome.result)  # a worker on another machine wrote it
                    assembled.append(outcome)
                    report.warnings.extend(outcome.warnings)
                    continue
                except BantinError as exc:
                    outcome = exc
            request = bulletin.request
            report.failures.append(f"{request.station.name} ({request.slot.name}): {outcome.message}"
                                   if not outcome.where else outcome.describe())
    report.bulletins.extend(record_slots(store, assembled))
    report.idle = [f"{s.name}: không có tin nào trong thời gian phát ngày {day:%d/%m/%Y}" for s in plan.idle]

    # Each story's own clip, voiced in the district station's format, for its article page.
    for story_id, key in plan.portal_jobs.items():
        if key in clips:
            store.set_audio(story_id, str(clips[key].path))
            report.story_audio += 1
    return report
