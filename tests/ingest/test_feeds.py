"""Feeds: the demo feeds parse into stories; broken and odd feeds give failures an editor understands."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.ingest.feeds import parse_feed
from flows.models import DISTRICT, Priority, Source

FEEDS = Path(__file__).resolve().parents[2] / "content" / "samples" / "feeds"
SOURCE = Source(id="s", name="Nguồn thử", kind="feed", location="x", audience=(DISTRICT,))


def _rss(items: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Tin xã</title><link>http://x</link><description>d</description>
{items}</channel></rss>""".encode()


def test_district_office_feed_gives_every_item_with_audience_and_movements() -> None:
    stories, failures = parse_feed((FEEDS / "phong-vhtt.xml").read_bytes(), SOURCE)
    assert failures == []
    assert len(stories) >= 10
    assert len({s.external_id for s in stories}) == len(stories)
    assert all(s.title and s.body and s.published_at for s in stories)
    addressed = [s for s in stories if s.audience and DISTRICT not in s.audience]
    assert addressed, "the demo feed addresses some stories to named communes"
    assert any(s.movements for s in stories)


def test_atom_feed_reads_content_dates_and_district_category() -> None:
    stories, failures = parse_feed((FEEDS / "xa-la-hien.atom").read_bytes(), SOURCE)
    assert failures == []
    assert len(stories) >= 6
    assert any(s.audience == (DISTRICT,) for s in stories)
    assert all(s.published_at is not None and s.published_at.year == 2023 for s in stories)


def test_broken_feed_is_one_failure_with_a_vietnamese_reason() -> None:
    stories, failures = parse_feed((FEEDS / "xa-trang-xa.xml").read_bytes(), SOURCE)
    assert stories == []
    assert len(failures) == 1
    assert "hỏng" in failures[0].reason and failures[0].item == ""


def test_html_error_page_instead_of_a_feed() -> None:
    stories, failures = parse_feed(b"<html><body><h1>502 Bad Gateway</h1></body></html>", SOURCE)
    assert stories == []
    assert failures and "RSS/Atom" in failures[0].reason


def test_item_without_body_fails_alone_and_others_arrive() -> None:
    data = _rss("""<item><title>Không có nội dung</title><guid>a</guid></item>
    <item><title>Tin tốt</title><guid>b</guid><description>&lt;p&gt;Nội dung&lt;/p&gt;</description>
    <category domain="priority">priority</category><category domain="audience">than-sa</category></item>""")
    stories, failures = parse_feed(data, SOURCE)
    assert [s.external_id for s in stories] == ["b"]
    assert stories[0].priority is Priority.PRIORITY and stories[0].audience == ("than-sa",)
    assert failures[0].item == "a" and "không có nội dung" in failures[0].reason


def test_item_without_guid_gets_a_stable_content_id() -> None:
    data = _rss("<item><title>Tin</title><description>Nội dung bài</description></item>")
    first, _ = parse_feed(data, SOURCE)
    second, _ = parse_feed(data, SOURCE)
    assert first[0].external_id == second[0].external_id.strip() and first[0].external_id.startswith("sha256:")


@pytest.mark.parametrize("encoding", ["windows-1258", "utf-16"])
def test_declared_non_utf8_encodings_are_decoded(encoding: str, encode_cp1258) -> None:  # type: ignore[no-untyped-def]
    text = """<?xml version="1.0" encoding="{enc}"?>
<rss version="2.0"><channel><title>Tin</title><item><title>Xã Thần Sa</title><guid>1</guid>
<description>Người dân hưởng ứng phong trào.</description></item></channel></rss>""".format(enc=encoding)
    data = encode_cp1258(text) if encoding == "windows-1258" else text.encode(encoding)
    stories, failures = parse_feed(data, SOURCE)
    assert failures == []
    assert "Thần Sa" in __import__("unicodedata").normalize("NFC", stories[0].title)
