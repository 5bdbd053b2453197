"""MP3 in this process: encode with LAME (lameenc), decode with libsndfile (soundfile) to measure what was encoded.

The stream is bare CBR frames (no Xing/LAME header, no ID3), so segments join by byte concatenation; the same
samples give the same bytes in every process. The output rate is set explicitly: LAME would otherwise pick a lower
rate on its own for low bitrates.
"""

from __future__ import annotations

import io

import numpy as np

from .errors import BrokenAudioError
from .levels import to_int16

LAME_QUALITY = 2  # LAME -h (0 best .. 9 fastest), its recommended high quality; ffmpeg leaves LAME at 3


def encode_mp3(samples: np.ndarray, sample_rate: int, bitrate_kbps: int) -> bytes:
    """Float32 mono samples (full scale ±1.0) into a bare CBR MP3 stream at `sample_rate`."""
    import lameenc

    enc = lameenc.Encoder()
    enc.set_bit_rate(bitrate_kbps)
    enc.set_in_sample_rate(sample_rate)
    enc.set_out_sample_rate(sample_rate)
    enc.set_channels(1)
    enc.set_quality(LAME_QUALITY)
    return bytes(enc.encode(to_int16(samples))) + bytes(enc.flush())


def decode_mp3(data: bytes) -> tuple[np.ndarray, int]:
    """A bare MP3 stream decoded to float32 mono and its rate."""
    import soundfile

    try:
        samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (RuntimeError, soundfile.LibsndfileError) as exc:
        raise BrokenAudioError("mp3", f"không giải mã được MP3: {exc}") from exc
    return samples.mean(axis=1, dtype=np.float32) if samples.shape[1] > 1 else samples[:, 0], int(rate)
