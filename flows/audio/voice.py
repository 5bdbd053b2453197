"""Text or recording in, one loudness-normalised MP3 segment out: synthesised once, encoded once, cached."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..models import AudioProfile
import numpy as np

from . import encoder, levels, loudness, mp3
from .memory import keep_freed_memory
from .cache import CacheEntry, SynthesisCache, make_key
from .engines import EngineChain, engine_chain
from .engines.chain import all_failed, fallback_note
from .errors import AudioError, EngineError
from .jingle import SHAPING_VERSION, shape_recording
from .speech import Speech

PEAK_MARGIN_DB = 0.15  # measured true peak must stay this far under the target after encoding
LOUDNESS_TOLERANCE_LU = 0.3
MAX_ENCODE_ROUNDS = 3
ENCODER_LOSS_LU = 0.4  # measured: LAME's low-pass at broadcast bitrates takes ~0.4 LU off speech; aim that much high


@dataclass(frozen=True)
class VoicedClip:
    """An encoded segment ready to be joined into any bulletin of the same format."""

    path: Path
    duration_seconds: float  # exact: frames × samples per frame / sample rate
    engine: str  # the engine that actually voiced it ("recording" for a jingle)
    voice: str
    sha256: str
    text: str
    bitrate_kbps: int
    sample_rate: int
    frames: int
    integrated_lufs: float
    true_peak_dbtp: float
    note: str = ""  # why the preferred engine was not used (Vietnamese), empty when it was
    produced: str = ""  # "bed" (the ident over its music bed) or "sting" (between items); empty otherwise
    music: str = ""  # the music in it: a file of content/jingles, or "generated" (the project's own)

    def read(self) -> bytes:
        return self.path.read_bytes()


def _format(profile: AudioProfile) -> dict[str, Any]:
    return {"bitrate_kbps": profile.bitrate_kbps, "sample_rate": profile.sample_rate,
            "loudness_lufs": profile.loudness_lufs, "true_peak_dbtp": profile.true_peak_dbtp}


def _clip(entry: CacheEntry, note: str = "") -> VoicedClip:
    m = entry.meta
    return VoicedClip(entry.path, m["duration_seconds"], m["engine"], m["voice"], m["sha256"], m["text"],
                      m["bitrate_kbps"], m["sample_rate"], m["frames"], m["integrated_lufs"], m["true_peak_dbtp"], note,
                      m.get("produced", ""), m.get("music", ""))


def render_segment(source: bytes | Path, profile: AudioProfile) -> tuple[bytes, dict[str, Any]]:
    """Decode once, then trim, normalise, limit and encode in this process; check the encoded result (decoded in
    this process too) and correct if the encoder moved it. No ffmpeg process for a WAV source."""
    keep_freed_memory()  # a Dask worker's allocator maps every array afresh otherwise (memory.py)
    rate = profile.sample_rate
    target = loudness.LoudnessTarget(profile.loudness_lufs, profile.true_peak_dbtp)
    decoded, measured = loudness.prepare(source, rate)
    aim = loudness.LoudnessTarget(target.integrated_lufs + ENCODER_LOSS_LU, target.true_peak_dbtp)
    headroom = loudness.ENCODER_HEADROOM_DB
    start_gain, slope = None, 1.0
    best: tuple[bytes, float, float] | None = None
    for _ in range(MAX_ENCODE_ROUNDS):
        shaped = loudness.normalise(decoded, aim, measured, headroom, start_gain, slope)
        encoded = encoder.encode_mp3(shaped.samples, rate, profile.bitrate_kbps)
        heard, heard_rate = encoder.decode_mp3(encoded)
        lufs, peak = levels.integrated_lufs(heard, heard_rate), levels.true_peak_dbtp(heard, heard_rate)
        peak_ok = peak <= target.true_peak_dbtp - PEAK_MARGIN_DB
        if peak_ok and (best is None or abs(lufs - target.integrated_lufs) < abs(best[1] - target.integrated_lufs)):
            best = (encoded, lufs, peak)
        if peak_ok and abs(lufs - target.integrated_lufs) <= LOUDNESS_TOLERANCE_LU:
            break
        # The encoder's low-pass takes a little loudness and its ringing adds a little peak: aim off by what it
        # did, starting from the gain that worked and the limiter's learned slope.
        shift = target.integrated_lufs - lufs
        aim = loudness.LoudnessTarget(aim.integrated_lufs + shift, aim.true_peak_dbtp)
        start_gain, slope = shaped.gain_db + shift / shaped.slope, shaped.slope
        if not peak_ok:
            headroom += peak - (target.true_peak_dbtp - PEAK_MARGIN_DB) + 0.1
    if best is None:
        raise AudioError(f"Không đưa được đỉnh âm thanh xuống dưới {target.true_peak_dbtp} dBTP")
    encoded, lufs, peak = best
    info = mp3.scan(encoded)
    meta = {"duration_seconds": info.duration_seconds, "frames": info.frames, "integrated_lufs": lufs,
            "true_peak_dbtp": peak, "bitrate_kbps": profile.bitrate_kbps, "sample_rate": info.sample_rate}
    return encoded, meta


class Production(Protocol):
    """Work done on the engine's speech before its one normalise-and-encode (production.py: the music bed)."""

    def key_fields(self) -> dict[str, Any]:
        """Everything that changes the result's bytes: goes into the cache key and the segment's metadata."""
        ...

    def apply(self, speech_wav: bytes) -> bytes:
        """The produced audio (any format ffmpeg reads) from the engine's speech as WAV."""
        ...


def _segment_key(text: str, engine: str, voice: str, profile: AudioProfile, production: Production | None
                 ) -> tuple[dict, dict, str]:  # type: ignore[type-arg]
    """What names a finished segment in the cache: the speech (text, engine, voice, rate), the production over
    it and the station's format; returns (the speech's fields, the production's fields, the key)."""
    ident = {"text": text, "engine": engine, "voice": voice, "rate": profile.rate}
    produced = production.key_fields() if production is not None else {}
    return ident, produced, make_key(kind="segment", **ident, **produced, **_format(profile))


def voice_text(text: str, profile: AudioProfile, cache: SynthesisCache, chain: EngineChain | None = None,
               production: Production | None = None) -> VoicedClip:
    """The station's voice reading `text` (already in spoken form), from the cache when any run voiced it before.

    Engines are tried in the chain's order and the cache is consulted per engine, so a story voiced offline during
    a Google outage is voiced by Google on a later run once it is back, while an offline engine never runs twice.
    `production` (e.g. the ident's music bed) works on the raw speech, which is cached apart, before the encode.
    """
    keep_freed_memory()  # before the engine's and the bed's arrays too (memory.py)
    chain = chain or engine_chain(profile)
    failures: list[EngineError] = []
    for engine in chain.engines:
        try:
            voice = engine.voice_id(profile.voice)
        except EngineError as exc:
            failures.append(exc)
            continue
        ident, produced, seg_key = _segment_key(text, engine.name, voice, profile, production)
        hit = cache.get("segment", seg_key, "mp3")
        if hit is not None:
            return _clip(hit, fallback_note(failures, engine.name))
        speech_key = make_key(kind="speech", **ident)
        with cache.lock(speech_key):
            raw = cache.get("speech", speech_key, "wav")
            if raw is not None:
                speech = Speech.from_wav(raw.path.read_bytes())
            else:
                try:
                    speech = chain.attempt(engine, text, profile.voice, profile.rate)
                except EngineError as exc:
                    failures.append(exc)
                    continue
                cache.put("speech", speech_key, "wav", speech.to_wav(), ident)
        try:
            source = speech.to_wav() if production is None else production.apply(speech.to_wav())
            encoded, meta = render_segment(source, profile)
        except AudioError as exc:  # e.g. noise that trims to nothing: treat as this engine's failure
            failures.append(EngineError(engine.name, f"Âm thanh của bộ đọc {engine.name} không dùng được: {exc}"))
            continue
        entry = cache.put("segment", seg_key, "mp3", encoded, {**ident, **produced, **meta})
        return _clip(entry, fallback_note(failures, engine.name))
    raise all_failed(failures)


def cached_clip(text: str, profile: AudioProfile, cache: SynthesisCache, chain: EngineChain | None = None,
                production: Production | None = None) -> VoicedClip | None:
    """What voice_text would return when it has nothing to voice: the cached segment of the first engine that can
    read this voice; None when voice_text has work to do. Lets a run skip scheduling work that is already done."""
    chain = chain or engine_chain(profile)
    failures: list[EngineError] = []
    for engine in chain.engines:
        try:
            voice = engine.voice_id(profile.voice)
        except EngineError as exc:
            failures.append(exc)
            continue
        hit = cache.get("segment", _segment_key(text, engine.name, voice, profile, production)[2], "mp3")
        return _clip(hit, fallback_note(failures, engine.name)) if hit is not None else None
    return None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def clip_from_recording(path: Path, profile: AudioProfile, cache: SynthesisCache, text: str = "") -> VoicedClip:
    """A recorded jingle (any format ffmpeg reads), normalised and encoded like speech, cached by the file's hash."""
    path = Path(path)
    source_hash = file_sha256(path)
    ident = {"text": text, "engine": "recording", "voice": path.name, "rate": 1.0, "source_sha256": source_hash,
             "shaping": SHAPING_VERSION}
    key = make_key(kind="segment", **ident, **_format(profile))
    hit = cache.get("segment", key, "mp3")
    if hit is not None:
        return _clip(hit)
    encoded, meta = render_segment(shape_recording(path), profile)
    return _clip(cache.put("segment", key, "mp3", encoded, {**ident, **meta}))


@functools.lru_cache(maxsize=32)
def pause_segment(bitrate_kbps: int, sample_rate: int, seconds: float) -> tuple[bytes, float]:
    """Encoded digital silence of whole frames, and its exact duration. Silence sits under the BS.1770 gates, so
    pauses never pull a bulletin's integrated loudness down."""
    per_frame = 1152 if sample_rate >= 32000 else 576
    count = max(1, round(seconds * sample_rate / per_frame))
    silence = np.zeros(per_frame * (count + 4), dtype=np.float32)  # extra frames cover the encoder's delay
    data = mp3.take_frames(encoder.encode_mp3(silence, sample_rate, bitrate_kbps), count)
    return data, count * per_frame / sample_rate
