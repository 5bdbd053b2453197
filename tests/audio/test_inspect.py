"""One-pass inspection of a finished file: what operators' checks and the nightly test rely on."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg

from flows.audio.ffmpeg import decode_errors, inspect_audio, measure_loudness, probe_duration


def _tone(path: Path, seconds: int, volume: str) -> Path:
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                    f"sine=f=440:d={seconds}:sample_rate=44100", "-af", f"volume={volume}", "-ac", "1",
                    "-c:a", "libmp3lame", "-b:a", "64k", str(path)], check=True)
    return path


def test_agrees_with_the_separate_measurements(tmp_path: Path) -> None:
    mp3 = _tone(tmp_path / "a.mp3", 6, "-12dB")
    check = inspect_audio(mp3)
    assert check.errors == () and decode_errors(mp3) == []
    assert abs(check.duration_seconds - probe_duration(mp3)) < 1e-6
    assert (check.integrated_lufs, check.true_peak_dbtp) == measure_loudness(mp3)
    quieter = inspect_audio(_tone(tmp_path / "b.mp3", 6, "-24dB"))
    assert abs((check.integrated_lufs - quieter.integrated_lufs) - 12) < 0.5


def test_reports_a_damaged_stream(tmp_path: Path) -> None:
    good = _tone(tmp_path / "a.mp3", 8, "-12dB").read_bytes()
    damaged = tmp_path / "damaged.mp3"
    damaged.write_bytes(good[:20_000] + b"\xff\xfbgarbage" * 500 + good[30_000:])
    check = inspect_audio(damaged)
    assert check.errors, "a stream with garbage in the middle must not pass"
    assert check.duration_seconds < 8


def test_not_audio_at_all(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"<html>502 Bad Gateway</html>")
    assert inspect_audio(junk).errors
