"""The produced pieces of a bulletin: the ident over its music bed, and the sting between items.

Each is mixed or shaped on decoded audio with pydub, then normalised and encoded once like any segment and kept
in the speech cache, so a bulletin stays a byte join of pre-encoded segments. The music is the project's own
(music.py) unless the station hands in a file: content/jingles/<station>-bed.<ext> or bed.<ext>, and likewise
sting. Decoding goes through the project's ffmpeg (the wheel has no ffprobe for pydub's own reader).

The bed is mixed under the engine's own speech, before the one MP3 encode (voice.voice_text with a BedMix), so
the ident is voiced, mixed and encoded once per (text, voice, bed, format), never decoded from an MP3 again.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..models import AudioProfile
import numpy as np

from . import levels, loudness, mix, music
from .cache import SynthesisCache, make_key
from .errors import BrokenAudioError
from .jingle import SHAPING_VERSION, shape_recording
from .voice import VoicedClip, _clip, _format, file_sha256, render_segment

if TYPE_CHECKING:
    from pydub import AudioSegment

MIX_VERSION = 1  # part of the cache keys: change it when the mix or the music's preparation changes
GENERATED = "generated"  # the manifest's name for the project's own music
VOICE_LUFS = -24.0  # the voice's working level in the mix: room for the bed with no clipping in 16 bits
BED_LEVEL_LU = -3.0  # the bed at full level, relative to the voice: a music intro just under speech
STING_LEVEL_LU = -3.0  # a sting sits a little under the speech around it
STING_MAX_SECONDS = 3.0  # a recorded sting longer than this is faded out there
BED_MAX_SECONDS = 60.0  # of a recorded bed only the start is ever heard


def _segment(wav: bytes) -> "AudioSegment":
    return music.pydub_audio_segment().from_wav(io.BytesIO(wav))


def at_level(source: bytes | Path, lufs: float) -> "AudioSegment":
    """Decode anything ffmpeg reads (silence trimmed at the ends) to 16-bit PCM whose loudness is `lufs`."""
    decoded, measured = loudness.prepare(source, music.RATE)
    if not measured.integrated_lufs > -70:  # nan or -inf: nothing to set a level on
        raise BrokenAudioError("audio", "âm thanh gần như im lặng, không đặt được mức để trộn")
    gain = lufs - measured.integrated_lufs
    s16 = levels.to_int16(decoded.samples * np.float32(10 ** (gain / 20)))
    return music.pydub_audio_segment()(data=s16, sample_width=2, frame_rate=music.RATE, channels=1)


@dataclass(frozen=True)
class PreparedBed:
    """A bed decoded, trimmed and set to its level in the mix, kept as WAV in the cache."""

    path: Path
    music: str  # a file of content/jingles, or GENERATED
    source_sha256: str


def prepare_bed(cache: SynthesisCache, recording: Path | None = None) -> PreparedBed:
    """The station's bed file (or the project's pad) ready to mix, once per file. A file that is not usable
    audio raises BrokenAudioError or FfmpegError with the reason in Vietnamese."""
    source = file_sha256(recording) if recording is not None else f"{GENERATED}-{music.MUSIC_VERSION}"
    name = recording.name if recording is not None else GENERATED
    key = make_key(kind="bed", source_sha256=source, mix=MIX_VERSION, rate=music.RATE)
    with cache.lock(key):  # the stations sharing a bed prepare it once
        hit = cache.get("music", key, "wav")
        if hit is None:
            raw = shape_recording(recording, BED_MAX_SECONDS) if recording is not None else music.wav_bytes(music.pad())
            wav = music.wav_bytes(at_level(raw, VOICE_LUFS + BED_LEVEL_LU))
            hit = cache.put("music", key, "wav", wav, {"music": name, "source_sha256": source})
    return PreparedBed(hit.path, name, source)


class BedMix:
    """A voice.Production: the engine's speech laid over a prepared bed before the segment's one encode."""

    def __init__(self, bed: PreparedBed) -> None:
        self.bed = bed

    def key_fields(self) -> dict[str, Any]:
        return {"produced": "bed", "music": self.bed.music, "music_sha256": self.bed.source_sha256,
                "mix": MIX_VERSION}

    def apply(self, speech_wav: bytes) -> bytes:
        voice = at_level(speech_wav, VOICE_LUFS)
        return music.wav_bytes(mix.over_bed(voice, _segment(self.bed.path.read_bytes())))


def sting_clip(profile: AudioProfile, cache: SynthesisCache, recording: Path | None = None) -> VoicedClip:
    """The sting played between items (the station's file, else the project's chime) in the station's format,
    a little under the speech; encoded once per source and format."""
    level = replace(profile, loudness_lufs=profile.loudness_lufs + STING_LEVEL_LU)
    source = file_sha256(recording) if recording is not None else f"{GENERATED}-{music.MUSIC_VERSION}"
    name = recording.name if recording is not None else GENERATED
    ident: dict[str, Any] = {"text": "", "engine": "recording" if recording is not None else GENERATED,
                             "voice": recording.name if recording is not None else "chime", "rate": 1.0,
                             "source_sha256": source, "shaping": SHAPING_VERSION, "mix": MIX_VERSION,
                             "produced": "sting", "music": name}
    key = make_key(kind="segment", **ident, **_format(level))
    hit = cache.get("segment", key, "mp3")
    if hit is not None:
        return _clip(hit)
    wav = (shape_recording(recording, STING_MAX_SECONDS) if recording is not None
           else music.wav_bytes(music.chime()))
    encoded, meta = render_segment(wav, level)
    return _clip(cache.put("segment", key, "mp3", encoded, {**ident, **meta}))
