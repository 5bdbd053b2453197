"""Trim, loudness-normalise and limit one clip so that, encoded to MP3, it meets the station's target.

Each clip is brought to the target integrated loudness on its own; a bulletin made of such clips and digital-silence
pauses then measures at the target too (silence falls under the BS.1770 gates), so bulletins never need a second
pass. Plain gain cannot reach -16 LUFS on espeak-ng speech without clipping, hence a look-ahead limiter run at 4x the
sample rate (so it also catches inter-sample peaks), with its ceiling below the target true peak to leave room for
the MP3 encoder's overshoot.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import ffmpeg
from .errors import BrokenAudioError
from .ffmpeg import Loudness

TRIM_THRESHOLD_DB = -50
KEEP_EDGE_SECONDS = 0.05  # a breath of silence at each end, so consonants are not clipped
ENCODER_HEADROOM_DB = 0.8  # measured MP3 overshoot is ~0.5 dB; limiter ceiling sits this far below target
TOLERANCE_LU = 0.2
MAX_PASSES = 5
OVERSAMPLE = 4


@dataclass(frozen=True)
class LoudnessTarget:
    integrated_lufs: float
    true_peak_dbtp: float


def trim_filter() -> str:
    """Remove silence at both ends only (the reversal trick keeps pauses inside the speech)."""
    one_end = (f"silenceremove=start_periods=1:start_threshold={TRIM_THRESHOLD_DB}dB:"
               f"start_silence={KEEP_EDGE_SECONDS}:detection=peak")
    return f"{one_end},areverse,{one_end},areverse"


def prepare(source: bytes | Path, sample_rate: int) -> tuple[bytes, Loudness]:
    """Decode any input to float32 mono PCM at `sample_rate`, silence trimmed at the ends, and its loudness."""
    pcm, measured = ffmpeg.decode_and_measure(source, sample_rate, trim_filter())
    if len(pcm) < 4 * sample_rate * 0.05:
        raise BrokenAudioError("audio", "âm thanh rỗng hoặc chỉ có khoảng lặng")
    return pcm, measured


def _gain_and_limit(gain_db: float, ceiling_dbtp: float, sample_rate: int) -> str:
    limit = 10 ** (ceiling_dbtp / 20)
    high = sample_rate * OVERSAMPLE
    return (f"volume={gain_db:.3f}dB,aresample={high}:resampler=soxr,"
            f"alimiter=limit={limit:.5f}:level=false:latency=true:attack=1:release=60,"
            f"aresample={sample_rate}:resampler=soxr")


@dataclass(frozen=True)
class Normalised:
    pcm: bytes
    loudness: Loudness
    gain_db: float  # the gain that produced it
    slope: float  # LU gained per dB of gain near that point (below 1 where the limiter works)


def normalise(pcm: bytes, sample_rate: int, target: LoudnessTarget, measured: Loudness,
              headroom_db: float = ENCODER_HEADROOM_DB, start_gain: float | None = None,
              slope: float = 1.0) -> Normalised:
    """Gain plus limiter, repeated until the integrated loudness is within TOLERANCE_LU of the target.

    The limiter takes loudness away as it works, so the gain that lands on target is found by secant steps.
    """
    if measured.integrated_lufs != measured.integrated_lufs or measured.integrated_lufs < -70:
        raise BrokenAudioError("audio", "âm thanh quá nhỏ để chuẩn hóa độ lớn (gần như im lặng)")
    ceiling = target.true_peak_dbtp - headroom_db
    gain = target.integrated_lufs - measured.integrated_lufs if start_gain is None else start_gain
    tried: list[tuple[float, float]] = []
    best: Normalised | None = None
    for _ in range(MAX_PASSES):
        out, loud = ffmpeg.process_pcm(pcm, sample_rate, _gain_and_limit(gain, ceiling, sample_rate))
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
    return Normalised(best.pcm, best.loudness, best.gain_db, slope)
