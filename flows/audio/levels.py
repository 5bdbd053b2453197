"""Loudness work on decoded audio, in this process: trim, measure, gain, limit (numpy, pyloudnorm, soxr).

A segment used to cost several ffmpeg processes (decode and measure, one per limiter pass, encode, decode the MP3
to measure it again, up to three rounds). Here the audio is decoded once into a float32 array, and every measure
and every limiter pass is arithmetic on it:

- integrated loudness: pyloudnorm (ITU-R BS.1770-4, the same K-weighting and gates as ffmpeg's ebur128; the tests
  hold the two within 0.2 LU on real clips);
- true peak: the sample peak of the signal upsampled 4x (soxr), as ebur128 does (within 0.2 dB of it);
- the limiter: a look-ahead gain curve computed on the 4x-upsampled peaks (so it catches inter-sample peaks), held
  over the attack and release, smoothed, and applied at the base rate.

Pure: arrays in, arrays out; the numbers are deterministic for equal input, so every worker makes the same bytes.
"""

from __future__ import annotations

import io
import math
import wave
from dataclasses import dataclass

import numpy as np

from .errors import BrokenAudioError
from .ffmpeg import Loudness

OVERSAMPLE = 4
ATTACK_SECONDS = 0.005  # the limiter's look-ahead: the gain is down before the peak arrives
RELEASE_SECONDS = 0.06  # and stays down this long after it, so it does not flutter between syllables
SILENT_LUFS = -70.0  # BS.1770's absolute gate: below it there is nothing to measure


def read_wav(data: bytes) -> tuple[np.ndarray, int] | None:
    """A WAV of 16-bit PCM (what engines, pydub and the jingle shaper hand over) as mono float32; None for any
    other format (the caller decodes it with ffmpeg)."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            if wav.getsampwidth() != 2:
                return None
            channels, rate = wav.getnchannels(), wav.getframerate()
            frames = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError):
        return None
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1, dtype=np.float32)
    return samples, rate


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    if from_rate == to_rate:
        return samples.astype(np.float32, copy=False)
    import soxr

    return soxr.resample(samples, from_rate, to_rate, quality="HQ").astype(np.float32, copy=False)


def trim(samples: np.ndarray, rate: int, threshold_db: float, keep_seconds: float) -> np.ndarray:
    """Drop the silence at both ends (peak under `threshold_db`), keeping `keep_seconds` of it at each end;
    pauses inside stay. The same rule as ffmpeg's silenceremove with detection=peak at both ends."""
    loud = np.flatnonzero(np.abs(samples) > 10 ** (threshold_db / 20))
    if not loud.size:
        return samples[:0]
    keep = int(round(keep_seconds * rate))
    return samples[max(0, int(loud[0]) - keep): min(len(samples), int(loud[-1]) + 1 + keep)]


def _meter(rate: int):  # noqa: ANN202 (pyloudnorm has no types)
    import pyloudnorm

    return pyloudnorm.Meter(rate)  # BS.1770-4 K-weighting, 400 ms blocks, 75 % overlap


def integrated_lufs(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness (LUFS); -inf for silence. A clip shorter than one 400 ms block (a two-word item read
    fast) is measured as that block with silence after it, as it sounds between the pauses of a bulletin."""
    block = int(0.4 * rate) + 1
    if len(samples) < block:
        samples = np.concatenate([samples, np.zeros(block - len(samples), dtype=samples.dtype)])
    import warnings

    with warnings.catch_warnings():  # pyloudnorm warns about clipping; the limiter and the encoder check see to it
        warnings.simplefilter("ignore")
        value = float(_meter(rate).integrated_loudness(samples.astype(np.float64)))
    return value if math.isfinite(value) and value > SILENT_LUFS else float("-inf")


def peak_envelope(samples: np.ndarray, rate: int) -> np.ndarray:
    """Per sample, the largest |signal| among its OVERSAMPLE upsampled points: where the inter-sample peaks show."""
    high = np.abs(resample(samples, rate, rate * OVERSAMPLE))
    groups = min(len(samples), len(high) // OVERSAMPLE)
    env = high[: groups * OVERSAMPLE].reshape(groups, OVERSAMPLE).max(axis=1)
    if groups < len(samples):
        env = np.concatenate([env, np.abs(samples[groups:])])
    return env


def true_peak_dbtp(samples: np.ndarray, rate: int) -> float:
    if not len(samples):
        return float("-inf")
    peak = float(np.abs(resample(samples, rate, rate * OVERSAMPLE)).max())
    return 20 * math.log10(peak) if peak > 0 else float("-inf")


def measure(samples: np.ndarray, rate: int) -> Loudness:
    return Loudness(integrated_lufs(samples, rate), true_peak_dbtp(samples, rate))


def limiter_gain(envelope: np.ndarray, gain: float, ceiling: float, rate: int) -> np.ndarray:
    """The per-sample gain that keeps `gain` × the true-peak `envelope` at or under `ceiling` (linear).

    Each peak's reduction is held from ATTACK before it to RELEASE after it, then smoothed by a mean over ATTACK:
    a mean over a window that lies inside every hold never asks less reduction than that peak needs."""
    need = np.minimum(np.float32(1.0), np.float32(ceiling) / np.maximum(envelope * np.float32(gain), np.float32(1e-12)))
    if need.min() >= 1.0:
        return np.full(len(envelope), np.float32(gain), dtype=np.float32)
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    attack, release = max(1, int(ATTACK_SECONDS * rate)), max(1, int(RELEASE_SECONDS * rate))
    # Reduction from `attack` samples before each peak to `release` after it (scipy's origin shifts the window).
    size = attack + release + 1
    held = minimum_filter1d(need, size=size, origin=(size - 1) // 2 - attack, mode="nearest")
    smooth = np.minimum(uniform_filter1d(held, size=attack | 1, mode="nearest"), need)  # rounding in the mean
    return smooth.astype(np.float32) * np.float32(gain)


def gain_and_limit(samples: np.ndarray, envelope: np.ndarray, gain_db: float, ceiling_dbtp: float,
                   rate: int) -> np.ndarray:
    """`samples` raised by `gain_db` with the limiter holding true peaks under `ceiling_dbtp`."""
    return (samples * limiter_gain(envelope, 10 ** (gain_db / 20), 10 ** (ceiling_dbtp / 20), rate)).astype(np.float32)


@dataclass(frozen=True)
class Decoded:
    """A clip decoded once: float32 mono at the segment's rate, silence trimmed at the ends."""

    samples: np.ndarray
    rate: int


def to_int16(samples: np.ndarray) -> bytes:
    """16-bit PCM for the encoder (rounding, no dither: deterministic, and the noise is far under any speech)."""
    return np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2").tobytes()


def require_sound(decoded: Decoded) -> Decoded:
    if len(decoded.samples) < decoded.rate * 0.05:
        raise BrokenAudioError("audio", "âm thanh rỗng hoặc chỉ có khoảng lặng")
    return decoded
