"""Recorded jingles are edited with pydub before encoding: edges faded, silence trimmed, long ones cut."""

from __future__ import annotations

import io
import subprocess
import wave
from array import array
from pathlib import Path

import imageio_ffmpeg
import pytest

from flows.audio.errors import BrokenAudioError
from flows.audio.jingle import FADE_MS, MAX_SECONDS, shape_recording


def _recording(path: Path, source: str) -> Path:
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", source, str(path)],
                   check=True)
    return path


def _samples(wav_bytes: bytes) -> tuple[array, int]:
    with wave.open(io.BytesIO(wav_bytes)) as w:
        return array("h", w.readframes(w.getnframes())), w.getframerate()


def test_a_cut_recording_is_trimmed_and_faded(tmp_path: Path) -> None:
    # One second of silence, then a loud tone that starts and stops abruptly (a click at each end).
    src = _recording(tmp_path / "opening.flac", "aevalsrc='if(gte(t,1),0.8*sin(2*PI*440*t),0)':d=4:s=44100")
    samples, rate = _samples(shape_recording(src))
    assert 2.9 <= len(samples) / rate <= 3.05  # the leading second of silence is gone
    edge = int(rate * FADE_MS / 1000 / 8)
    loud = max(abs(s) for s in samples[rate: 2 * rate])
    assert loud > 20000
    assert max(abs(s) for s in samples[:edge]) < loud / 4  # faded in: no click
    assert max(abs(s) for s in samples[-edge:]) < loud / 4  # faded out


def test_a_whole_song_is_cut_to_a_jingle(tmp_path: Path) -> None:
    src = _recording(tmp_path / "song.mp3", "sine=f=330:d=45")
    samples, rate = _samples(shape_recording(src))
    assert abs(len(samples) / rate - MAX_SECONDS) < 0.1
    assert max(abs(s) for s in samples[-rate // 10:]) < max(abs(s) for s in samples[:rate]) / 4


def test_a_silent_recording_is_refused_with_a_reason(tmp_path: Path) -> None:
    src = _recording(tmp_path / "closing.wav", "anullsrc=r=44100:cl=mono:d=3")
    with pytest.raises(BrokenAudioError, match="chỉ có im lặng"):
        shape_recording(src)
