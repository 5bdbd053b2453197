"""Produced bulletins through the newsroom library: the demo night carries the bed and the stings where
stations.toml asks for them, each produced piece encoded once; a station's own music files, and a broken one."""

from __future__ import annotations

import json
import math
from array import array
from datetime import date, datetime, timedelta
from pathlib import Path

from flows import pipeline, runtime
from flows.audio import ffmpeg, mix
from flows.models import SubmittedStory
from flows.pipeline.fanout import Serial


def _manifests(out: Path, day: date) -> dict[tuple[str, str], dict]:
    return {(p.parent.parent.name, p.stem): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(out.glob(f"*/{day.isoformat()}/*.json"))}


def test_the_demo_night_carries_the_bed_and_stings_where_configured(demo_night: dict) -> None:
    newsroom = runtime.newsroom(demo_night["content"])
    stations = {s.id: s for s in newsroom.stations}
    manifests = _manifests(newsroom.settings.audio.output, demo_night["day"])
    assert len(manifests) == 32
    for (station_id, slot), manifest in manifests.items():
        station = stations[station_id]
        ident = manifest["opening"][0]
        assert station.bed and ident["kind"] == "bed" and ident["music"] == "generated", (station_id, slot)
        assert not any("kind" in entry for entry in manifest["opening"][1:])  # the headlines are read bare
        if station.stings:
            assert len(manifest["stings"]) == len(manifest["items"]) - 1 > 0, (station_id, slot)
        else:
            assert "stings" not in manifest, (station_id, slot)
        transcript = (newsroom.settings.audio.output / station_id / demo_night["day"].isoformat()
                      / f"{slot}.txt").read_text(encoding="utf-8")
        assert "Mở đầu (trên nền nhạc)" in transcript
        assert transcript.count("Nhạc chuyển tin") == len(manifest.get("stings", []))
    assert any(stations[sid].stings for sid, _ in manifests) and not all(s.stings for s in stations.values())

    # Each produced piece was encoded once: an ident over its bed has no plain twin in the speech cache, and
    # the district's one sting is one segment however many times it plays.
    segments = [json.loads(p.read_text(encoding="utf-8"))
                for p in (newsroom.settings.audio.cache / "segment").rglob("*.json")]
    over_bed = {s["text"] for s in segments if s.get("produced") == "bed"}
    assert len(over_bed) == 32  # one ident per station and slot
    assert not over_bed & {s["text"] for s in segments if not s.get("produced")}
    assert len([s for s in segments if s.get("produced") == "sting"]) == 1


RATE = 16000  # enough for the pad (under 700 Hz) and the chime (overtones under 2.7 kHz), and quick to scan


def _level(pcm: array, start: float, end: float) -> float:
    """RMS level in dBFS of pcm[start:end] (seconds); digital silence: -200."""
    part = pcm[int(start * RATE):int(end * RATE)]
    power = sum(x * x for x in part) / max(1, len(part))
    return 10 * math.log10(power) if power > 1e-20 else -200.0


def test_the_demo_nights_bulletins_are_heard_with_the_bed_and_the_stings(demo_night: dict) -> None:
    """Decoded, not only listed: the district bulletin opens on music alone, the bed dips under the ident's voice
    and fades out before the headlines, and a chime sounds between each two items in the quiet of the pauses;
    a commune bulletin opens on the same bed and keeps bare silence between items."""
    out = runtime.newsroom(demo_night["content"]).settings.audio.output / demo_night["day"].isoformat()
    for station_id, stings in (("vo-nhai", True), ("la-hien", False)):
        mp3 = out.parent / station_id / demo_night["day"].isoformat() / "sang.mp3"
        manifest = json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))
        pcm = array("f")
        pcm.frombytes(ffmpeg.decode_pcm(mp3, RATE))
        ident, headlines = manifest["opening"][0], manifest["opening"][1]
        intro = mix.INTRO_MS / 1000
        voice_end = ident["duration_seconds"] - (mix.RISE_MS + mix.TAIL_MS) / 1000
        alone = _level(pcm, 0.3, intro - 0.3)
        steps = [_level(pcm, t / 20, (t + 1) / 20)
                 for t in range(int((intro + 0.1) * 20), int((voice_end - 0.2) * 20))]
        print(f"{station_id}: bed alone {alone:.1f} dBFS, quietest under the voice {min(steps):.1f}, "
              f"loudest {max(steps):.1f}")
        assert alone > -40, station_id  # music, not the silence a bare ident starts with
        assert -24 < min(steps) - alone < -12, station_id  # in the gaps between words the bed is ducked, not gone
        assert max(steps) > alone, station_id  # and the voice stands over it
        fade_end = ident["start_seconds"] + ident["duration_seconds"]
        assert abs(headlines["start_seconds"] - manifest["pause_seconds"] - fade_end) < 0.01
        assert _level(pcm, fade_end - 0.1, fade_end) < alone - 20, station_id  # faded out before the headlines
        items = manifest["items"]
        if stings:
            gap = manifest["sting_pause_seconds"]
            for _before, sting, after in zip(items, manifest["stings"], items[1:]):
                start = sting["start_seconds"]
                assert _level(pcm, start - gap + 0.1, start - 0.05) < -60
                assert _level(pcm, start + 0.05, start + 0.4) > -35  # the chime, heard
                assert _level(pcm, start + sting["duration_seconds"] + 0.1, after["start_seconds"] - 0.05) < -60
        else:
            assert "stings" not in manifest
            for before, after in zip(items, items[1:]):
                end = before["start_seconds"] + before["duration_seconds"]
                assert _level(pcm, end + 0.05, after["start_seconds"] - 0.05) < -60  # bare silence between items


D1 = date(2023, 12, 4)


def test_a_broken_bed_file_leaves_the_ident_bare_and_a_station_sting_file_plays(content_dir: Path) -> None:
    jingles = content_dir / "jingles"
    (jingles / "bed.mp3").write_bytes(b"ID3 not music at all " * 100)  # handed in broken
    ffmpeg.run(["-f", "lavfi", "-i", "sine=frequency=1200:duration=0.6", "-af", "afade=t=out:d=0.3",
                str(jingles / "than-sa-sting.wav")])
    stations = content_dir / "stations.toml"
    text = stations.read_text(encoding="utf-8")
    stations.write_text(text.replace('commune = "than-sa"\n', 'commune = "than-sa"\nstings = true\nheadlines = 0\n',
                                     1), encoding="utf-8")
    runtime.forget()
    newsroom, store = runtime.open_newsroom(str(content_dir))
    source = newsroom.source("phong-vhtt")
    # Two really different stories: near duplicates would be folded into one at normalise.
    stories = [("Xã Thần Sa làm đường", "Xã Thần Sa ra quân làm đường giao thông nông thôn, bà con góp ngày công "
                "và hiến đất để mở rộng đường liên xóm."),
               ("Sảng Mộc tiêm phòng cho đàn trâu", "Trạm thú y huyện về xã Sảng Mộc tiêm vắc xin lở mồm long móng "
                "cho hơn ba trăm con trâu, bò trước mùa rét đậm.")]
    for n, (title, body) in enumerate(stories):
        store.add_submission(SubmittedStory(
            "phong-vhtt", f"s{n}", title, f"<p>{body}</p>",
            published_at=datetime.combine(D1, datetime.min.time()) + timedelta(hours=8 + n)), source)
    pipeline.normalise(newsroom, store)
    report = pipeline.synthesise(newsroom, store, day=D1, stations=["than-sa"], slots=["sang"], fanout=Serial())
    assert report.ok and len(report.bulletins) == 1
    warned = [w for w in report.warnings if "bed.mp3" in w]
    assert warned and "không dùng được" in warned[0] and "không có nhạc" in warned[0]
    manifest = _manifests(newsroom.settings.audio.output, D1)[("than-sa", "sang")]
    assert "kind" not in manifest["opening"][0]  # the ident is read without music, the bulletin still made
    assert len(manifest["items"]) == 2
    assert [(s["kind"], s["music"], s["engine"]) for s in manifest["stings"]] == [
        ("sting", "than-sa-sting.wav", "recording")]
