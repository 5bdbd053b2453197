"""The nightly run end to end on the demo content, on the embedded default (Prefect test server,
SQLite, espeak-ng, ffmpeg from the wheel): the bars of issue 2."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from flows import runtime
from flows.audio.ffmpeg import inspect_audio
from flows.models import DISTRICT, StoryState

DAY = date(2023, 12, 1)  # the demo night (tests/conftest.py DEMO_DAY)
pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(scope="module")
def first_and_second_run(demo_night: dict) -> dict:
    return demo_night


def test_broken_feed_is_reported_and_every_other_source_arrives(first_and_second_run) -> None:  # type: ignore[no-untyped-def]
    reports = {r.source_id: r for r in first_and_second_run["first"].sources}
    broken = reports["xa-trang-xa"]
    assert broken.new == 0 and broken.failed == 1
    assert "hỏng" in broken.reasons[0] and "dòng" in broken.reasons[0]
    assert reports["phong-vhtt"].new == 11 and reports["xa-la-hien"].new == 7 and reports["trung-tam"].new == 10
    assert reports["hoi-nong-dan"].new == 8 and reports["hop-thu"].new == 10  # .md, .txt, .docx, .html
    assert reports["xa-than-sa-web"].new == 2  # a news site without a feed, read by its selectors
    assert reports["hoi-nong-dan"].duplicate == 1 and reports["phong-vhtt"].duplicate == 0
    assert all(r.failed == 0 for sid, r in reports.items() if sid != "xa-trang-xa")


def test_every_station_gets_bulletins_with_exactly_its_stories(first_and_second_run) -> None:  # type: ignore[no-untyped-def]
    content = first_and_second_run["content"]
    newsroom, store = runtime.newsroom(content), runtime.store(content)
    approved = [r for r in store.stories() if r.state in (StoryState.PUBLISHED, StoryState.BROADCAST)]
    assert len(approved) == 30  # the other 17 wait out their source's review window; one is a duplicate
    on_air = [r for r in approved if r.airs_on(DAY)]
    assert len(on_air) == 9  # the week's news; older stories' air windows have ended
    results = {(b.station_id, b.slot_id): b for b in first_and_second_run["first"].synthesised.bulletins}
    checks: list[tuple[Path, dict]] = []
    for station in newsroom.stations:
        expected = {r.id for r in on_air
                    if station.is_district or DISTRICT in r.audience or station.commune in r.audience}
        for slot in station.slots:
            report = results[(station.id, slot.id)]
            mp3 = Path(report.path)
            assert mp3 == newsroom.settings.audio.output / station.id / DAY.isoformat() / f"{slot.id}.mp3"
            manifest = json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))
            listed = {item["story_id"] for item in manifest["items"]}
            dropped = {item["story_id"] for item in manifest.get("dropped", [])}
            assert listed | dropped == expected, station.id
            assert not listed & dropped
            checks.append((mp3, manifest))
            assert hashlib.sha256(mp3.read_bytes()).hexdigest() == manifest["sha256"]
            assert mp3.with_suffix(".txt").read_text(encoding="utf-8").strip()
    commune_only = [r for r in on_air if DISTRICT not in r.audience]
    assert commune_only, "the demo has stories addressed to named communes"
    # Decode every bulletin once (two at a time: one per core) and hold it to its manifest and target.
    with ThreadPoolExecutor(max_workers=2) as pool:
        measured = list(pool.map(lambda pair: inspect_audio(pair[0]), checks))
    for (mp3, manifest), check in zip(checks, measured):
        assert check.errors == (), mp3
        assert abs(check.duration_seconds - manifest["duration_seconds"]) <= 0.1, mp3
        assert abs(check.integrated_lufs - manifest["loudness_target"]["integrated_lufs"]) <= 1.0, mp3
        assert check.true_peak_dbtp <= manifest["loudness_target"]["true_peak_dbtp"], mp3


def test_history_is_kept_for_every_story(first_and_second_run) -> None:  # type: ignore[no-untyped-def]
    store = runtime.store(first_and_second_run["content"])
    aired = [r for r in store.stories() if r.state == StoryState.BROADCAST.value]
    assert aired
    row = store.story(aired[0].id)
    assert row is not None
    states = [e.state for e in row.events]
    assert states == ["submitted", "normalised", "approved", "broadcast", "published"]  # one line per day on air
    duplicate = [r for r in store.stories() if r.duplicate_of is not None]
    assert len(duplicate) == 1 and duplicate[0].state == StoryState.REJECTED.value


def test_portal_has_every_published_story_with_its_audio(first_and_second_run) -> None:  # type: ignore[no-untyped-def]
    content = first_and_second_run["content"]
    site = runtime.newsroom(content).settings.portal.output
    store = runtime.store(content)
    for row in store.stories(StoryState.BROADCAST, StoryState.PUBLISHED):
        page = (site / "bai" / row.slug / "index.html").read_text(encoding="utf-8")  # type: ignore[operator]
        assert row.title.replace("&", "&amp;") in page or row.title in page
        assert row.audio_path and (site / "audio" / f"{row.slug}.mp3").is_file()
        assert f'src="../../audio/{row.slug}.mp3"' in page
    assert (site / "thi-dua-yeu-nuoc" / "index.html").is_file() and (site / "rss.xml").is_file()


def test_second_run_changes_nothing(first_and_second_run) -> None:  # type: ignore[no-untyped-def]
    run = first_and_second_run
    second = run["second"]
    assert sum(r.new for r in second.sources) == 0
    assert second.normalised.ready == [] and second.normalised.approved == []
    assert second.synthesised.story_audio == 0
    assert all(not b.written for b in second.synthesised.bulletins)
    assert second.published.pages_written == 0 and second.published.newly_published == []
    assert run["hash_outputs"]() == run["hashes"]
    assert runtime.store(run["content"]).counts() == run["counts"]
