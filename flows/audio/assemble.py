"""Per station and slot: join pre-encoded segments by byte concatenation into one tagged MP3, never re-encoding.

Only this module writes into the output folder. Each file is written whole to a hidden temp name and renamed;
the manifest goes last, so a manifest on disk always describes the MP3 beside it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..models import AudioProfile, BulletinItem, BulletinRequest
from . import mp3
from .atomic import sweep_temps, write_atomic
from .errors import FormatMismatchError
from .manifest import Placed, manifest, manifest_bytes, transcript
from .plan import BulletinPlan, DroppedItem, plan_bulletin
from .voice import VoicedClip, file_sha256, pause_segment

STING_PAUSE_SHARE = 0.5  # around a sting, each side gets this share of the station's pause

_ASCII_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class BulletinResult:
    path: Path
    manifest_path: Path
    transcript_path: Path
    duration_seconds: float
    sha256: str
    written: bool  # False: an identical bulletin was already there and nothing was touched
    items: tuple[int, ...]  # story ids in broadcast order
    dropped: tuple[DroppedItem, ...]
    engines: Mapping[int, str]  # story id -> engine that voiced it


def _ascii(name: str, what: str) -> str:
    if not _ASCII_NAME.match(name):
        raise ValueError(f"Mã {what} “{name}” phải là chữ ASCII không dấu (a-z, 0-9, -, _, .) để làm tên tệp")
    return name


def _clips(value: VoicedClip | Sequence[VoicedClip]) -> list[VoicedClip]:
    return [value] if isinstance(value, VoicedClip) else list(value)


def _check_format(clips: list[VoicedClip], bitrate: int, rate: int) -> None:
    for clip in clips:
        if clip.bitrate_kbps != bitrate or clip.sample_rate != rate:
            raise FormatMismatchError(
                f"Đoạn âm thanh “{clip.text[:40]}” mã hóa {clip.bitrate_kbps} kbps/{clip.sample_rate} Hz, "
                f"khác định dạng của đài {bitrate} kbps/{rate} Hz; cần tổng hợp lại theo cấu hình đài")


def existing_sha256(path: Path) -> str | None:
    """The file's sha256, or None when there is no such file."""
    try:
        return file_sha256(path)
    except FileNotFoundError:
        return None


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except FileNotFoundError:
        return False


def _gaps(profile: AudioProfile, between_items: VoicedClip | None) -> tuple[bytes, float, bytes, float]:
    """The pause between segments, and the shorter one on each side of a sting (both encoded, exact lengths)."""
    pause, pause_seconds = pause_segment(profile.bitrate_kbps, profile.sample_rate, profile.pause_seconds)
    if between_items is None:
        return pause, pause_seconds, pause, pause_seconds
    short, short_seconds = pause_segment(profile.bitrate_kbps, profile.sample_rate,
                                         profile.pause_seconds * STING_PAUSE_SHARE)
    return pause, pause_seconds, short, short_seconds


def plan_for(request: BulletinRequest, clips: Mapping[int, VoicedClip], opening: VoicedClip | Sequence[VoicedClip],
             closing: VoicedClip | Sequence[VoicedClip], extra_seconds: float = 0.0,
             between_items: VoicedClip | None = None) -> BulletinPlan:
    """Which of the clips fit the slot once the opening and closing (and `extra_seconds` to come) are placed."""
    _, pause_seconds, _, short_seconds = _gaps(request.station.audio, between_items)
    edges = [*_clips(opening), *_clips(closing)]
    fixed = sum(c.duration_seconds for c in edges) + pause_seconds * (len(edges) - 1) + extra_seconds
    per_item = pause_seconds
    if between_items is not None:
        # Every item but the first follows a sting with a short pause on each side instead of one pause.
        per_item = 2 * short_seconds + between_items.duration_seconds
        fixed -= per_item - pause_seconds
    return plan_bulletin(request, {sid: c.duration_seconds for sid, c in clips.items()}, fixed, per_item)


def build_bulletin(request: BulletinRequest, clips: Mapping[int, VoicedClip],
                   opening: VoicedClip | Sequence[VoicedClip], closing: VoicedClip | Sequence[VoicedClip],
                   out_root: Path, plan: BulletinPlan | None = None,
                   between_items: VoicedClip | None = None) -> BulletinResult:
    """Write out_root/<station>/<yyyy-mm-dd>/<slot>.mp3 with .json and .txt; write nothing if identical ones exist.

    `plan` (from plan_for, given the same `between_items`) when the caller already chose the items, e.g. to
    read their headlines first. `between_items`: a sting played between two items, a short pause on each side.
    """
    station, slot, profile = request.station, request.slot, request.station.audio
    folder = Path(out_root) / _ascii(station.id, "đài") / request.day.isoformat()
    stem = _ascii(slot.id, "khung giờ")
    openings, closings = _clips(opening), _clips(closing)
    stings = [between_items] if between_items is not None else []
    _check_format([*openings, *closings, *clips.values(), *stings], profile.bitrate_kbps, profile.sample_rate)

    pause, pause_seconds, short, short_seconds = _gaps(profile, between_items)
    if plan is None:
        plan = plan_for(request, clips, openings, closings, between_items=between_items)

    sequence: list[tuple[str, VoicedClip, BulletinItem | None]] = [("opening", c, None) for c in openings]
    for n, i in enumerate(plan.items):
        if n and between_items is not None:
            sequence.append(("sting", between_items, None))
        sequence.append(("item", clips[i.story_id], i))
    sequence += [("closing", c, None) for c in closings]

    placed: list[Placed] = []
    order: list[Path | bytes] = []
    samples = 0
    for n, (kind, clip, item) in enumerate(sequence):
        if n:
            around_sting = "sting" in (kind, sequence[n - 1][0])
            order.append(short if around_sting else pause)
            samples += round((short_seconds if around_sting else pause_seconds) * profile.sample_rate)
        placed.append(Placed(kind, samples / profile.sample_rate, clip.duration_seconds, clip.engine, clip.voice,
                             clip.sha256, clip.text, clip.note, item, clip.produced, clip.music))
        order.append(clip.path)
        samples += round(clip.duration_seconds * profile.sample_rate)
    duration = samples / profile.sample_rate

    title = f"Bản tin {slot.name.lower()} ngày {request.day.day:02d}/{request.day.month:02d}/{request.day.year}"
    tag = mp3.id3_tag(title=title, artist=station.name, album=f"{station.name} – bản tin {slot.name.lower()}",
                      date=request.day.isoformat(), length_ms=round(duration * 1000))

    def body() -> Iterator[bytes]:
        yield tag
        for part in order:
            yield part if isinstance(part, bytes) else part.read_bytes()

    digest, size = hashlib.sha256(), 0
    for chunk in body():
        digest.update(chunk)
        size += len(chunk)
    sha = digest.hexdigest()

    mp3_path, json_path, txt_path = folder / f"{stem}.mp3", folder / f"{stem}.json", folder / f"{stem}.txt"
    meta = manifest_bytes(manifest(request, plan, placed, mp3_path.name, sha, size, duration, pause_seconds,
                                   short_seconds if between_items is not None else None))
    text = transcript(request, plan, placed, duration).encode("utf-8")

    folder.mkdir(parents=True, exist_ok=True)
    sweep_temps(folder, stem)  # leftovers of a run that was killed mid-write
    written = False
    if existing_sha256(mp3_path) != sha:
        write_atomic(mp3_path, body())
        written = True
    if not _same_bytes(txt_path, text):
        write_atomic(txt_path, text)
        written = True
    if written or not _same_bytes(json_path, meta):
        write_atomic(json_path, meta)
        written = True
    return BulletinResult(mp3_path, json_path, txt_path, duration, sha, written,
                          tuple(i.story_id for i in plan.items), plan.dropped,
                          {i.story_id: clips[i.story_id].engine for i in plan.items})


def write_story_audio(clip: VoicedClip, dest: Path, title: str, artist: str, date: str = "") -> bool:
    """One standalone tagged MP3 of a story for its article page. Returns False when an identical file exists."""
    dest = Path(dest)
    _ascii(dest.name, "tệp")
    data = mp3.id3_tag(title=title, artist=artist, album=artist, date=date,
                       length_ms=round(clip.duration_seconds * 1000)) + clip.read()
    if _same_bytes(dest, data):
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    sweep_temps(dest.parent, dest.name)
    write_atomic(dest, data)
    return True


__all__ = ["BulletinPlan", "BulletinResult", "build_bulletin", "plan_for", "write_story_audio"]
