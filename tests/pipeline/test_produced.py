"""Produced bulletins through the newsroom library: the demo night carries the bed and the stings where
stations.toml asks for them, each produced piece encoded once; a station's own music files, and a broken one."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from flows import pipeline, runtime
from flows.audio import ffmpeg
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
    for n, place in enumerate(["Thần Sa", "Sảng Mộc"]):
        store.add_submission(SubmittedStory(
            "phong-vhtt", f"s{n}", f"Xã {place} làm đường", f"<p>Xã {place} ra quân làm đường giao thông nông thôn, "
            "bà con góp ngày công và hiến đất để mở rộng đường liên xóm.</p>",
            published_at=datetime.combine(D1, datetime.min.time()) + timedelta(hours=8)), source)
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
