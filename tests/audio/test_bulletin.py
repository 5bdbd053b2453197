"""Bulletins: decode cleanly, meet loudness, match their manifest, carry tags, hold each listed story exactly once."""

import json

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from flows.audio import (BulletinResult, build_bulletin, clip_from_recording, closing_text, decode_errors,
                         measure_loudness, opening_text, probe_duration, voice_text, write_story_audio)
from flows.audio import ffmpeg
from flows.audio.cache import SynthesisCache
from flows.audio.engines import EngineChain, EspeakEngine, GttsEngine
from flows.models import AudioProfile, Priority

EBU = AudioProfile(loudness_lufs=-23.0)


def _voice_all(kit, req, cache, chain=None):
    profile = req.station.audio
    clips = {i.story_id: voice_text(i.spoken_text, profile, cache, chain) for i in req.items}
    opening = voice_text(opening_text(req), profile, cache, chain)
    closing = voice_text(closing_text(req), profile, cache, chain)
    return clips, opening, closing


def check_bulletin(result: BulletinResult, clips, profile: AudioProfile, all_clips=None):
    """Every bar of issue 4 on one bulletin file."""
    data = result.path.read_bytes()
    manifest = json.loads(result.manifest_path.read_text("utf-8"))
    assert decode_errors(result.path) == []
    lufs, peak = measure_loudness(result.path)
    assert abs(lufs - profile.loudness_lufs) <= 1.0, lufs
    assert peak <= profile.true_peak_dbtp, peak
    assert abs(probe_duration(result.path) - manifest["duration_seconds"]) <= 0.1
    info = MP3(result.path).info
    assert (info.sample_rate, info.channels, info.bitrate) == (profile.sample_rate, 1, profile.bitrate_kbps * 1000)
    tags = ID3(result.path)
    assert tags["TPE1"].text[0] == manifest["station"]["name"]
    assert tags["TIT2"].text[0].startswith("Bản tin")
    assert str(tags["TDRC"].text[0]) == manifest["date"]
    assert abs(int(tags["TLEN"].text[0]) / 1000 - manifest["duration_seconds"]) <= 0.01
    assert manifest["sha256"] == result.sha256
    listed = {i["story_id"] for i in manifest["items"]}
    for sid, clip in (all_clips or clips).items():
        assert data.count(clip.read()) == (1 if sid in listed else 0), sid
    for entry in manifest["items"]:  # offsets and durations point at the clip that is really there
        assert entry["sha256"] == clips[entry["story_id"]].sha256
    ends = [i["start_seconds"] + i["duration_seconds"] for i in manifest["items"]]
    starts = [i["start_seconds"] for i in manifest["items"]]
    assert all(e <= s for e, s in zip(ends, starts[1:]))
    return manifest


def test_district_and_commune_bulletins(kit, shared_cache, tmp_path):
    district_items = (kit.item(1, Priority.PRIORITY), kit.item(2, day=2), kit.item(3, day=3), kit.item(4, day=4))
    stations = {
        "vo-nhai": (kit.station("vo-nhai", "district"), district_items + (kit.item(5, district=False),)),
        "binh-long": (kit.station("binh-long"), district_items + (kit.item(5, district=False),)),
        "la-hien": (kit.station("la-hien", profile=EBU), district_items + (kit.item(6, Priority.EMERGENCY, False),)),
    }
    out = tmp_path / "audio_out"
    results = {}
    for sid, (st, items) in stations.items():
        req = kit.request(st, items)
        clips, opening, closing = _voice_all(kit, req, shared_cache)
        results[sid] = build_bulletin(req, clips, opening, closing, out)
        manifest = check_bulletin(results[sid], clips, st.audio)
        assert manifest["loudness_target"]["integrated_lufs"] == st.audio.loudness_lufs
    assert results["la-hien"].items[0] == 6  # the emergency leads
    assert results["binh-long"].items == (1, 4, 3, 2, 5)  # priority, then district newest first, then own
    assert results["vo-nhai"].path == out / "vo-nhai" / "2024-06-11" / "sang.mp3"
    transcript = results["binh-long"].transcript_path.read_text("utf-8")
    assert transcript.startswith("BẢN TIN SÁNG – ĐÀI TRUYỀN THANH XÃ BÌNH LONG")
    assert kit.TEXTS[5] in transcript

    # The nightly run is idempotent: the same input a second time touches no file.
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in kit.out_files(out)}
    for sid, (st, items) in stations.items():
        req = kit.request(st, items)
        again = build_bulletin(req, *_voice_all(kit, req, shared_cache), out)
        assert not again.written and again.sha256 == results[sid].sha256
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in kit.out_files(out)} == before


def test_slot_limit_drops_lowest_priority_and_manifest_says_why(kit, shared_cache, tmp_path):
    st = kit.station("binh-long", max_seconds=22)
    req = kit.request(st, (kit.item(1, Priority.PRIORITY), kit.item(2, day=2), kit.item(3, day=5),
                           kit.item(4, Priority.EMERGENCY)))
    clips, opening, closing = _voice_all(kit, req, shared_cache)
    result = build_bulletin(req, clips, opening, closing, tmp_path)
    manifest = check_bulletin(result, clips, st.audio)
    dropped = [d["story_id"] for d in manifest["dropped"]]
    assert dropped and dropped[0] == 2 and 4 in result.items
    assert all("Vượt thời lượng tối đa" in d["reason"] for d in manifest["dropped"])
    assert manifest["duration_seconds"] <= 22 or manifest["over_limit_seconds"] > 0
    assert "TIN KHÔNG PHÁT" in result.transcript_path.read_text("utf-8")


def test_gtts_outage_still_builds_the_bulletin_and_manifest_names_each_engine(kit, google, tmp_path):
    """Issue 2's bar: Google answers story 1, times out on story 2 and rate-limits story 3 (and what follows)."""
    texts = {kit.TEXTS[1]: "ok", kit.TEXTS[2]: "timeout", kit.TEXTS[3]: 429}
    google(lambda text, n: texts.get(text, 429))
    profile = AudioProfile(engines=("gtts", "espeak"))
    st = kit.station("binh-long", profile=profile)
    req = kit.request(st, (kit.item(1, Priority.PRIORITY), kit.item(2, day=3), kit.item(3, day=2)))
    chain = EngineChain([GttsEngine(backoff_seconds=0.01), EspeakEngine()])
    clips, opening, closing = _voice_all(kit, req, SynthesisCache(tmp_path / "cache"), chain)
    result = build_bulletin(req, clips, opening, closing, tmp_path / "out")
    manifest = check_bulletin(result, clips, profile)
    engines = {i["story_id"]: (i["engine"], i.get("note", "")) for i in manifest["items"]}
    assert engines[1] == ("gtts", "")
    assert engines[2] == ("espeak", "Không kết nối được máy chủ Google TTS, đã chuyển sang giọng đọc ngoại tuyến (espeak)")
    assert engines[3][0] == "espeak" and "HTTP 429" in engines[3][1]
    assert manifest["engines"] == ["espeak", "gtts"]
    assert "Giọng đọc: espeak – Không kết nối được máy chủ Google TTS" in result.transcript_path.read_text("utf-8")


def test_recorded_jingle_opens_the_bulletin(kit, shared_cache, tmp_path):
    jingle = tmp_path / "jingles" / "opening.wav"
    jingle.parent.mkdir()
    ffmpeg.run(["-f", "lavfi", "-i", "sine=frequency=660:duration=1.5", "-af", "volume=-20dB", str(jingle)])
    from flows.audio import find_jingle

    assert find_jingle(jingle.parent, "binh-long", "opening") == jingle
    st = kit.station("binh-long")
    req = kit.request(st, (kit.item(2),))
    clips, ident, closing = _voice_all(kit, req, shared_cache)
    tune = clip_from_recording(jingle, st.audio, shared_cache)
    assert tune.engine == "recording" and abs(tune.integrated_lufs + 16) <= 0.5
    assert clip_from_recording(jingle, st.audio, shared_cache) == tune  # cached by the file's hash
    result = build_bulletin(req, clips, [tune, ident], closing, tmp_path / "out")
    manifest = check_bulletin(result, clips, st.audio)
    assert [o["engine"] for o in manifest["opening"]] == ["recording", "espeak"]
    assert result.path.read_bytes().count(tune.read()) == 1


def test_story_audio_for_the_portal(kit, shared_cache, tmp_path):
    clip = voice_text(kit.TEXTS[4], AudioProfile(), shared_cache)
    dest = tmp_path / "portal" / "audio" / "story-4.mp3"
    assert write_story_audio(clip, dest, "Tin 4", "Trung tâm Văn hóa, Thể thao – Truyền thông huyện Võ Nhai")
    assert not write_story_audio(clip, dest, "Tin 4", "Trung tâm Văn hóa, Thể thao – Truyền thông huyện Võ Nhai")
    assert decode_errors(dest) == [] and ID3(dest)["TIT2"].text[0] == "Tin 4"
    assert abs(probe_duration(dest) - clip.duration_seconds) < 0.01
    with pytest.raises(ValueError, match="ASCII"):
        write_story_audio(clip, tmp_path / "tin-số-4.mp3", "Tin 4", "x")
