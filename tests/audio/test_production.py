"""A bulletin that sounds produced, measured on decoded audio: the ident over a music bed that plays alone, ducks
under the voice and fades out; a sting between items with a short pause on each side; each voiced and encoded once."""

from __future__ import annotations

import json
import math
from array import array
from pathlib import Path

import pytest

from flows.audio import build_bulletin, closing_text, decode_errors, ffmpeg, measure_loudness, opening_text, plan_for
from flows.audio import mix, music
from flows.audio.engines import EngineChain
from flows.audio.errors import AudioError
from flows.audio.production import GENERATED, BedMix, prepare_bed, sting_clip
from flows.audio.voice import voice_text
from flows.models import AudioProfile

RATE = 44100
IDENT = "Đây là Đài truyền thanh xã Bình Long. Bản tin sáng ngày mười một tháng sáu."


def _decoded(source: Path | bytes) -> array:
    samples = array("f")
    samples.frombytes(ffmpeg.decode_pcm(source, RATE))
    return samples


def _db(samples: array | list[float]) -> float:
    """RMS level in dBFS (digital silence: -200)."""
    power = sum(x * x for x in samples) / max(1, len(samples))
    return 10 * math.log10(power) if power > 1e-20 else -200.0


def _level(pcm: array, start: float, end: float) -> float:
    return _db(pcm[int(start * RATE):int(end * RATE)])


def _windows(pcm: array, start: float, end: float, step: float = 0.05) -> list[float]:
    count = int((end - start) / step)
    return [_level(pcm, start + n * step, start + (n + 1) * step) for n in range(count)]


def _tone_file(path: Path, source: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    ffmpeg.run(["-f", "lavfi", "-i", source, str(path)])
    return path


def test_the_ride_of_the_bed_itself() -> None:
    """The envelope alone, on a steady tone: full level, -18 dB under a voice of 3 s, part way back, faded out."""
    tone = music._tone(440, -12.0, 2000)  # shorter than the ride: it loops
    ride = mix.ducked_bed(tone, 3000)
    assert len(ride) == mix.length_for(3000) == 1500 + 3000 + 300 + 1500
    full = ride[300:1200].dBFS
    under = ride[1600:4400].dBFS
    back = ride[4500 + mix.RISE_MS - 20:4500 + mix.RISE_MS].dBFS
    assert abs(full - tone.dBFS) < 0.2
    assert abs(under - full - mix.DUCK_DB) < 0.3
    assert abs(back - full - mix.RISE_DB) < 0.6
    assert ride[-50:].dBFS < full - 30  # faded out
    ramp = [ride[t:t + 10].dBFS for t in range(1250, 1500, 25)]
    assert all(a > b for a, b in zip(ramp, ramp[1:]))  # ducks smoothly, not in a step


def test_the_ident_over_the_bed_ducks_under_the_voice_and_fades_out(kit, shared_cache) -> None:
    profile = AudioProfile()
    counting = kit.CountingEngine()
    chain = EngineChain([counting])
    plain = voice_text(IDENT, profile, shared_cache, chain)
    produced = voice_text(IDENT, profile, shared_cache, chain, production=BedMix(prepare_bed(shared_cache)))
    assert counting.texts.count(IDENT) <= 1  # the engine's speech is shared: voiced once, with or without the bed
    assert (produced.produced, produced.music, produced.engine, produced.text) == ("bed", GENERATED, "espeak", IDENT)
    # A segment like any other: on target, under the peak ceiling, in the station's format.
    assert abs(produced.integrated_lufs - profile.loudness_lufs) <= 0.5 and produced.true_peak_dbtp <= -1.0
    assert abs(measure_loudness(produced.path)[0] - profile.loudness_lufs) <= 0.5
    assert decode_errors(produced.path) == []

    intro = mix.INTRO_MS / 1000
    voice_end = intro + plain.duration_seconds
    expected = voice_end + (mix.RISE_MS + mix.TAIL_MS) / 1000
    assert expected - 0.3 <= produced.duration_seconds <= expected + 0.1  # only the inaudible end is trimmed

    pcm = _decoded(produced.path)
    alone = _level(pcm, 0.3, intro - 0.3)
    under_voice = _windows(pcm, intro + 0.1, voice_end - 0.15)
    ducked = min(under_voice)  # between two words only the bed is heard
    print(f"bed alone {alone:.1f} dBFS, under the voice {ducked:.1f}, voice peaks {max(under_voice):.1f}")
    assert alone > -25  # the intro is music at full level, not a hint of it
    assert -22.0 <= ducked - alone <= -14.0  # ducked by about 18 dB...
    assert ducked > alone - 30  # ...but still there
    assert max(under_voice) > alone  # the voice stands over the bed
    tail = _level(pcm, voice_end + 0.25, voice_end + 0.45)
    assert ducked + 3 < tail < alone - 3  # after the voice the bed comes back part way
    assert _level(pcm, produced.duration_seconds - 0.1, produced.duration_seconds) < alone - 25  # and fades out

    # Cached by what changes the bytes: the same piece again is the same file, nothing voiced or mixed again.
    again = voice_text(IDENT, profile, shared_cache, chain, production=BedMix(prepare_bed(shared_cache)))
    assert again == produced and counting.texts.count(IDENT) <= 1


def test_a_station_bed_replaces_the_generated_one_and_loops_under_a_long_ident(kit, shared_cache, tmp_path) -> None:
    from flows.audio import find_jingle

    jingles = tmp_path / "jingles"
    own = _tone_file(jingles / "binh-long-bed.wav", "sine=frequency=523:duration=2.5")
    _tone_file(jingles / "bed.ogg", "sine=frequency=330:duration=4")
    assert find_jingle(jingles, "binh-long", "bed") == own
    assert find_jingle(jingles, "la-hien", "bed") == jingles / "bed.ogg"
    profile = AudioProfile()
    produced = voice_text(IDENT, profile, shared_cache, production=BedMix(prepare_bed(shared_cache, own)))
    generated = voice_text(IDENT, profile, shared_cache, production=BedMix(prepare_bed(shared_cache)))
    assert produced.music == "binh-long-bed.wav" and produced.sha256 != generated.sha256
    pcm = _decoded(produced.path)
    alone = _level(pcm, 0.3, 1.2)
    # The 2.5 s file looped under the whole ident: the bed is still there, ducked, in the last gap of the voice
    # and comes back after it.
    voice_end = mix.INTRO_MS / 1000 + produced.duration_seconds - (mix.INTRO_MS + mix.RISE_MS + mix.TAIL_MS) / 1000
    assert _level(pcm, voice_end + 0.25, voice_end + 0.45) > alone - 14


def test_a_bed_that_is_not_audio_is_refused_with_a_reason(shared_cache, tmp_path) -> None:
    broken = tmp_path / "bed.mp3"
    broken.write_bytes(b"ID3 this is not an mp3 at all" * 50)
    with pytest.raises(AudioError):
        prepare_bed(shared_cache, broken)
    silent = _tone_file(tmp_path / "silent" / "bed.wav", "anullsrc=r=44100:cl=mono:d=3")
    with pytest.raises(AudioError, match="im lặng"):
        prepare_bed(shared_cache, silent)


def test_a_sting_sits_between_items_with_a_short_pause_each_side(kit, shared_cache, tmp_path) -> None:
    st = kit.station("vo-nhai", "district")
    req = kit.request(st, (kit.item(2), kit.item(3, day=2), kit.item(4, day=3)))
    profile = st.audio
    clips = {i.story_id: voice_text(i.spoken_text, profile, shared_cache) for i in req.items}
    opening = voice_text(opening_text(req), profile, shared_cache)
    closing = voice_text(closing_text(req), profile, shared_cache)
    sting = sting_clip(profile, shared_cache)
    assert (sting.produced, sting.music, sting.engine) == ("sting", GENERATED, GENERATED)
    assert 0.3 < sting.duration_seconds < 1.5 and sting.integrated_lufs < profile.loudness_lufs  # brief, a bit under
    assert sting_clip(profile, shared_cache) == sting  # encoded once per format

    plan = plan_for(req, clips, opening, closing, between_items=sting)
    result = build_bulletin(req, clips, opening, closing, tmp_path / "out", plan=plan, between_items=sting)
    manifest = json.loads(result.manifest_path.read_text("utf-8"))
    data = result.path.read_bytes()
    assert data.count(sting.read()) == 2  # the encoded sting, byte-joined twice, never re-encoded
    assert abs(plan.total_seconds - result.duration_seconds) < 0.01  # the plan counted the stings and pauses
    items, stings, gap = manifest["items"], manifest["stings"], manifest["sting_pause_seconds"]
    assert [s["kind"] for s in stings] == ["sting", "sting"] and 0.4 < gap < 0.6
    for before, between, after in zip(items, stings, items[1:]):
        assert abs(before["start_seconds"] + before["duration_seconds"] + gap - between["start_seconds"]) < 0.002
        assert abs(between["start_seconds"] + between["duration_seconds"] + gap - after["start_seconds"]) < 0.002
    transcript = result.transcript_path.read_text("utf-8")
    assert transcript.count("Nhạc chuyển tin") == 2

    # Heard: silence, the chime, silence, between two items; and the whole bulletin still on target.
    pcm = _decoded(result.path)
    for between in stings:
        start, end = between["start_seconds"], between["start_seconds"] + between["duration_seconds"]
        assert _level(pcm, start - gap + 0.1, start - 0.05) < -60
        assert _level(pcm, start + 0.05, start + 0.4) > -30
        assert _level(pcm, end + 0.1, end + gap - 0.05) < -60
    assert decode_errors(result.path) == []
    lufs, peak = measure_loudness(result.path)
    assert abs(lufs - profile.loudness_lufs) <= 1.0 and peak <= profile.true_peak_dbtp


def test_a_recorded_sting_is_trimmed_and_cut_short(shared_cache, tmp_path) -> None:
    long_one = _tone_file(tmp_path / "sting.flac", "aevalsrc='if(gte(t,0.5),0.5*sin(2*PI*880*t),0)':d=6:s=44100")
    sting = sting_clip(AudioProfile(), shared_cache, long_one)
    assert (sting.engine, sting.music) == ("recording", "sting.flac")
    assert sting.duration_seconds <= 3.1  # silence trimmed, then faded out at three seconds
    pcm = _decoded(sting.path)
    assert _level(pcm, 0.05, 0.3) > -30  # the leading half second of silence is gone
