"""What the store remembers per source: validators for conditional GET (an unchanged feed costs one 304), the last
success and the last new story, and the silent sources reported from them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from flows.ingest import read_source
from flows.ingest.fetch import Limits
from flows.ingest.silence import silent_sources
from flows.models import DISTRICT, Source
from flows.pipeline.gathering import keep
from flows.store import Store

LIMITS = Limits(connect_timeout=10.0, read_timeout=10.0, deadline=60.0, max_bytes=1_000_000, user_agent="bantin-test")


def _store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'bantin.sqlite3'}")
    store.migrate()
    return store


def test_unchanged_feed_costs_one_304_across_runs(tmp_path: Path, hostile_server: str, server_log) -> None:  # type: ignore[no-untyped-def]
    store = _store(tmp_path)
    source = Source(id="vhtt", name="Phòng VH-TT", kind="feed", location=f"{hostile_server}/feed.xml",
                    audience=(DISTRICT,))
    first = keep(store, read_source(source, base=tmp_path, limits=LIMITS,
                                    validators=store.source_validators("vhtt")))
    assert first.new >= 10
    state = store.source_state("vhtt")
    assert state is not None and state.etag == '"vhtt-2023-11-15"' and state.last_new_at is not None
    again = read_source(source, base=tmp_path, limits=LIMITS, validators=store.source_validators("vhtt"))
    assert again.not_modified and again.stories == []
    report = keep(store, again)
    assert report.new == 0 and report.failed == 0 and any("304" in n for n in report.notes)
    assert server_log.hits["/feed.xml"] == 2  # one full read, then one 304
    after = store.source_state("vhtt")
    assert after is not None and after.etag == state.etag and after.last_success_at is not None


def test_failures_count_up_and_success_resets(tmp_path: Path, hostile_server: str) -> None:
    store = _store(tmp_path)
    source = Source(id="hong", name="Nguồn hỏng", kind="feed", location=f"{hostile_server}/status/404")
    for _ in range(2):
        keep(store, read_source(source, base=tmp_path, limits=LIMITS))
    state = store.source_state("hong")
    assert state is not None and state.failures_in_row == 2 and state.last_success_at is None
    store.record_source_check("hong", ok=True, new=0)
    assert store.source_state("hong").failures_in_row == 0  # type: ignore[union-attr]


def test_silent_and_unreachable_sources_are_reported(tmp_path: Path) -> None:
    store = _store(tmp_path)
    now = datetime(2023, 12, 1, 8, 0)
    weekly = Source(id="xa", name="UBND xã La Hiên", kind="feed", location="x", expect_every_days=7)
    daily = Source(id="huyen", name="Phòng VH-TT", kind="feed", location="x", expect_every_days=1)
    dead = Source(id="hong", name="Hội Nông dân", kind="feed", location="x", expect_every_days=3)
    never = Source(id="moi", name="Huyện đoàn", kind="feed", location="x", expect_every_days=7)
    unwatched = Source(id="tu-do", name="Không hạn", kind="feed", location="x")
    store.record_source_check("xa", ok=True, new=2, at=now - timedelta(days=20))
    store.record_source_check("xa", ok=True, new=0, at=now - timedelta(hours=1))
    store.record_source_check("huyen", ok=True, new=1, at=now - timedelta(hours=3))
    store.record_source_check("hong", ok=True, new=1, at=now - timedelta(days=10))
    store.record_source_check("hong", ok=False, new=0, at=now - timedelta(hours=2))
    store.record_source_check("tu-do", ok=True, new=0, at=now - timedelta(days=400))
    found = {s.source_id: s for s in silent_sources([weekly, daily, dead, never, unwatched],
                                                    store.source_states(), now)}
    assert set(found) == {"xa", "hong", "moi"}
    assert not found["xa"].unreachable and "không có tin mới từ 11/11/2023" in found["xa"].message
    assert found["hong"].unreachable and "không đọc được nguồn" in found["hong"].message
    assert "chưa đọc lần nào" in found["moi"].message


def test_an_item_that_failed_arrives_once_it_reads_well(tmp_path: Path) -> None:
    store = _store(tmp_path)
    feed = tmp_path / "tin.xml"
    source = Source(id="xa", name="Xã", kind="feed", location="tin.xml")
    item = "<item><title>Tin xã</title><guid>g-1</guid>{body}</item>"
    doc = '<rss version="2.0"><channel><title>Xã</title><link>https://xa.example.vn/</link><description>d</description>{items}</channel></rss>'
    feed.write_text(doc.format(items=item.format(body="")), encoding="utf-8")
    first = keep(store, read_source(source, base=tmp_path, limits=LIMITS))
    assert first.failed == 1 and first.new == 0
    feed.write_text(doc.format(items=item.format(body="<description>Nội dung đã bổ sung.</description>")),
                    encoding="utf-8")
    second = keep(store, read_source(source, base=tmp_path, limits=LIMITS))
    assert second.new == 1 and second.known == 0  # not lost as "already known"
