"""Loudness measured in this process (pyloudnorm, soxr) against ffmpeg's ebur128 on real clips, the limiter's
ceiling, and what a segment costs: no ffmpeg process for speech, one decode for a recording."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest

from flows.audio import decode_errors, ffmpeg, levels, loudness, measure_loudness, music
from flows.audio.cache import SynthesisCache
from flows.audio.encoder import decode_mp3, encode_mp3
from flows.audio.engines import EspeakEngine
from flows.audio.voice import clip_from_recording, voice_text
from flows.models import AudioProfile

from .conftest import TEXTS

RATE = 44100
# ffmpeg prints one decimal; pyloudnorm reads up to 0.16 LU lower on espeak speech (how the first partial blocks are
# gated), far inside a station's ±1 LU
LUFS_TOLERANCE = 0.2
PEAK_TOLERANCE = 0.25


def _wav(samples: np.ndarray, rate: int) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(levels.to_int16(samples))
    return buf.getvalue()


def _real_clips() -> dict[str, tuple[np.ndarray, int]]:
    """Speech of several lengths and levels, the project's own chime and pad, and white noise."""
    engine = EspeakEngine()
    clips: dict[str, tuple[np.ndarray, int]] = {}
    for n in (1, 2, 5):
        speech = engine.synthesize(TEXTS[n], "vi", 1.0)
        clips[f"speech {n}"] = levels.read_wav(speech.to_wav())  # type: ignore[assignment]
    loud, rate = clips["speech 1"]
    clips["speech 1, +9 dB (clipping in places)"] = (np.clip(loud * 2.8, -1, 1).astype(np.float32), rate)
    clips["speech 1, -20 dB"] = ((loud * 0.1).astype(np.float32), rate)
    clips["chime"] = levels.read_wav(music.wav_bytes(music.chime()))  # type: ignore[assignment]
    pad, pad_rate = levels.read_wav(music.wav_bytes(music.pad()))  # type: ignore[misc]
    clips["pad"] = (pad[: 6 * pad_rate], pad_rate)
    noise = np.random.default_rng(7).uniform(-0.3, 0.3, 3 * RATE).astype(np.float32)
    clips["noise"] = (noise, RATE)
    return clips


@pytest.mark.parametrize("name", list(_real_clips()))
def test_in_process_loudness_measures_what_ffmpeg_measures(name):
    samples, rate = _real_clips()[name]
    samples = levels.read_wav(_wav(samples, rate))[0]  # exactly the 16-bit samples ffmpeg reads
    ours = levels.measure(samples, rate)
    lufs, peak = measure_loudness(_wav(samples, rate))
    assert abs(ours.integrated_lufs - lufs) <= LUFS_TOLERANCE, (ours, lufs)
    assert abs(ours.true_peak_dbtp - peak) <= PEAK_TOLERANCE, (ours, peak)


def test_the_measure_of_an_encoded_segment_agrees_with_ffmpeg_decoding_it():
    speech = EspeakEngine().synthesize(TEXTS[1], "vi", 1.0)
    samples, rate = levels.read_wav(speech.to_wav())  # type: ignore[misc]
    encoded = encode_mp3(levels.resample(samples, rate, RATE), RATE, 64)
    heard, heard_rate = decode_mp3(encoded)
    lufs, peak = measure_loudness(encoded)
    assert decode_errors(encoded) == []
    assert abs(levels.integrated_lufs(heard, heard_rate) - lufs) <= LUFS_TOLERANCE
    assert abs(levels.true_peak_dbtp(heard, heard_rate) - peak) <= PEAK_TOLERANCE


def test_the_limiter_holds_true_peaks_under_its_ceiling_however_much_gain():
    speech = EspeakEngine().synthesize(TEXTS[3], "vi", 1.0)
    decoded, measured = loudness.prepare(speech.to_wav(), RATE)
    envelope = levels.peak_envelope(decoded.samples, RATE)
    heard = []
    for gain_db in (0.0, 12.0, 24.0):
        out = levels.gain_and_limit(decoded.samples, envelope, gain_db, -3.0, RATE)
        lufs, peak = measure_loudness(_wav(out, RATE))
        assert peak <= -3.0 + 0.2, (gain_db, peak)  # inter-sample peaks caught too (ffmpeg's true-peak meter)
        heard.append(lufs)
    # it takes the peaks, not the whole clip: more gain is still louder
    assert heard[0] < heard[1] < heard[2] and heard[2] > measured.integrated_lufs + 3


def test_the_same_samples_make_the_same_bytes():
    speech = EspeakEngine().synthesize(TEXTS[4], "vi", 1.0)
    first = loudness.prepare(speech.to_wav(), RATE)[0]
    again = loudness.prepare(speech.to_wav(), RATE)[0]
    assert encode_mp3(first.samples, RATE, 64) == encode_mp3(again.samples, RATE, 64)


class FfmpegCounter:
    def __init__(self, monkeypatch):
        self.calls: list[list[str]] = []
        real = ffmpeg.run

        def counting(args, *rest, **kw):
            self.calls.append(args)
            return real(args, *rest, **kw)

        monkeypatch.setattr(ffmpeg, "run", counting)


def test_a_voiced_segment_starts_no_ffmpeg_and_a_recording_one(tmp_path, monkeypatch):
    counter = FfmpegCounter(monkeypatch)
    cache = SynthesisCache(tmp_path / "cache")
    clips = [voice_text(TEXTS[n], profile, cache) for n in (2, 6)
             for profile in (AudioProfile(), AudioProfile(bitrate_kbps=32, loudness_lufs=-23.0))]
    assert counter.calls == []  # speech: decoded, measured, limited and encoded in this process
    for clip, target in zip(clips, (-16.0, -23.0, -16.0, -23.0), strict=True):
        lufs, peak = measure_loudness(clip.path)  # and ffmpeg hears what the manifest will say
        assert abs(lufs - target) <= 0.5 and abs(lufs - clip.integrated_lufs) <= LUFS_TOLERANCE
        assert peak <= -1.0 and abs(peak - clip.true_peak_dbtp) <= PEAK_TOLERANCE

    jingle = tmp_path / "tune.flac"
    ffmpeg.run(["-f", "lavfi", "-i", "sine=frequency=523:duration=1.2", str(jingle)])
    counter.calls.clear()
    tune = clip_from_recording(jingle, AudioProfile(), cache)
    assert len(counter.calls) == 1  # the one decode of a file that is not WAV
    assert abs(tune.integrated_lufs + 16) <= 0.5 and decode_errors(tune.path) == []
    counter.calls.clear()
    assert clip_from_recording(jingle, AudioProfile(), cache) == tune and counter.calls == []  # cached


def test_silence_is_refused_before_any_encoding():
    silent = _wav(np.zeros(RATE, dtype=np.float32), RATE)
    with pytest.raises(Exception, match="khoảng lặng"):
        loudness.prepare(silent, RATE)


def test_a_file_that_is_not_wav_is_decoded_by_ffmpeg(tmp_path: Path):
    flac = tmp_path / "x.flac"
    ffmpeg.run(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", str(flac)])
    decoded, measured = loudness.prepare(flac, RATE)
    assert abs(len(decoded.samples) / RATE - 1.0) < 0.1 and measured.integrated_lufs > -30
