"""Prepare a recorded jingle before it is normalised and encoded like speech: pydub's job.

Newsrooms hand in whatever they have: a jingle cut mid-note clicks at both ends, and a whole song
supplied by mistake would fill the bulletin. pydub is the right tool for this editing (fades, cuts,
silence at the edges) on the decoded audio; ffmpeg from the wheel decodes, since pydub's own reader
needs ffprobe, which the wheel lacks (FIELD-NOTES).
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from . import ffmpeg
from .errors import BrokenAudioError

WORK_RATE = 44100
FADE_MS = 40  # enough to remove a click, too short to hear as a fade
MAX_SECONDS = 20.0  # an opening or closing jingle longer than this is faded out here
LONG_FADE_MS = 1500
SILENCE_DBFS = -50.0
SHAPING_VERSION = 1  # part of the cache key: change it when the shaping changes


def shape_recording(path: Path, max_seconds: float = MAX_SECONDS) -> bytes:
    """The recording as WAV bytes: silence trimmed at both ends, faded in and out, at most `max_seconds` long."""
    with warnings.catch_warnings():  # pydub looks for an ffmpeg on PATH at import; it is never asked to run one here
        warnings.simplefilter("ignore")
        from pydub import AudioSegment
        from pydub.silence import detect_leading_silence

    pcm = ffmpeg.decode_pcm(Path(path), WORK_RATE, codec="s16le")
    sound = AudioSegment(data=pcm, sample_width=2, frame_rate=WORK_RATE, channels=1)
    start = detect_leading_silence(sound, silence_threshold=SILENCE_DBFS)
    end = len(sound) - detect_leading_silence(sound.reverse(), silence_threshold=SILENCE_DBFS)
    if end - start <= 2 * FADE_MS:
        raise BrokenAudioError("recording", f"Tệp nhạc hiệu {Path(path).name} chỉ có im lặng hoặc quá ngắn.")
    sound = sound[start:end]
    if len(sound) > max_seconds * 1000:
        sound = sound[: int(max_seconds * 1000)].fade_out(min(LONG_FADE_MS, int(max_seconds * 1000) // 3))
    sound = sound.fade_in(FADE_MS).fade_out(FADE_MS)
    out = io.BytesIO()
    sound.export(out, format="wav")
    return out.getvalue()
