"""Trim, loudness-normalise and limit one clip so that, encoded to MP3, it meets the station's target.

Each clip is brought to the target integrated loudness on its own; a bulletin made of such clips and digital-silence
pauses then measures at the target too (silence falls under the BS.1770 gates), so bulletins never need a second
pass. Plain gain cannot reach -16 LUFS on espeak-ng speech without clipping, hence a look-ahead limiter working on
the 4x-upsampled peaks (so it also catches inter-sample peaks), with its ceiling below the target true peak to leave
room for the MP3 encoder's overshoot.

The clip is decoded once (in this process for WAV, the format every engine and shaper hands over; by one ffmpeg
for anything else) and every later step is arithmetic on that array (levels.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import ffmpeg, levels
from .errors import BrokenAudioError
from .ffmpeg import Loudness
from .levels import Decoded

TRIM_THRESHOLD_DB = -50
KEEP_EDGE_SECONDS = 0.05  # a breath of silence at each end, so consonants are not clipped
ENCODER_HEADROOM_DB = 0.8  # measured MP3 overshoot is ~0.5 dB; limiter ceiling sits this far below target
TOLERANCE_LU = 0.2
MAX_PASSES = 5


@dataclass(frozen=True)
class LoudnessTarget:
    integrated_lufs: float
    true_peak_dbtp: float


def trim_filter() -> str:
    """Remove silence at both ends only (the reversal trick keeps pauses inside the speech)."""
    one_end = (f"silenceremove=start_periods=1:start_threshold={TRIM_THRESHOLD_DB}dB:"
               f"start_silence={KEEP_EDGE_SECONDS}:detection=peak")
    return f"{one_end},areverse,{one_end},areverse"


def prepare(source: bytes | Path, sample_rate: int) -> tuple[Decoded, Loudness]:
    """Decode any input once to float32 mono at `sample_rate`, silence trimmed at the ends, and its loudness."""
    wav = levels.read_wav(source) if isinstance(source, bytes) else None
    if wav is not None:
        samples, rate = wav
        samples = levels.resample(levels.trim(samples, rate, TRIM_THRESHOLD_DB, KEEP_EDGE_SECONDS), rate, sample_rate)
    else:
        samples = np.frombuffer(ffmpeg.decode_pcm(source, sample_rate, trim_filter()), dtype="<f4")
    decoded = levels.require_sound(Decoded(samples, sample_rate))
    return decoded, levels.measure(decoded.samples, sample_rate)


@dataclass(frozen=True)
class Normalised:
    samples: np.ndarray
    loudness: Loudness
    gain_db: float  # the gain that produced it
    slope: float  # LU gained per dB of gain near that point (below 1 where the limiter works)


def normalise(decoded: Decoded, target: LoudnessTarget, measured: Loudness,
              headroom_db: float = ENCODER_HEADROOM_DB, start_gain: float | None = None,
              slope: float = 1.0) -> Normalised:
    """Gain plus limiter, repeated until the integrated loudness is within TOLERANCE_LU of the target.

    The limiter takes loudness away as it works, so the gain that lands on target is found by secant steps.
    """
    if measured.integrated_lufs != measured.integrated_lufs or measured.integrated_lufs < -70:
        raise BrokenAudioError("audio", "âm thanh quá nhỏ để chuẩn hóa độ lớn (gần như im lặng)")
    rate = decoded.rate
    ceiling = target.true_peak_dbtp - headroom_db
    envelope = levels.peak_envelope(decoded.samples, rate)  # once: the gain before the limiter is a factor
    gain = target.integrated_lufs - measured.integrated_lufs if start_gain is None else start_gain
    tried: list[tuple[float, float]] = []
    best: Normalised | None = None
    for _ in range(MAX_PASSES):
        out = levels.gain_and_limit(decoded.samples, envelope, gain, ceiling, rate)
        loud = levels.measure(out, rate)
        miss = target.integrated_lufs - loud.integrated_lufs
        tried.append((gain, loud.integrated_lufs))
        if len(tried) >= 2:
            (g0, l0), (g1, l1) = tried[-2], tried[-1]
            if abs(l1 - l0) > 0.05 and abs(g1 - g0) > 1e-6:
                slope = min(1.0, max(0.1, (l1 - l0) / (g1 - g0)))
        if best is None or abs(miss) < abs(target.integrated_lufs - best.loudness.integrated_lufs):
            best = Normalised(out, loud, gain, slope)
        if abs(miss) <= TOLERANCE_LU:
            break
        gain += miss / slope
    assert best is not None
    return Normalised(best.samples, best.loudness, best.gain_db, slope)
