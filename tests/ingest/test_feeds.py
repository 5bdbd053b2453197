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
    assert failures[0].item == "a#khong-doc-duoc" and "không có nội dung" in failures[0].reason


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


# -- feeds from several generators and hostile ones (tests/ingest/data/feeds) ---------------------------------
import resource  # noqa: E402

from flows.editing.clean import clean_title, html_to_text, clean_html  # noqa: E402
from flows.ingest.feeds import MAX_ID, read_feed, stable_id  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "feeds"


@pytest.mark.parametrize(("name", "titles"), [
    ("rss091.xml", ["Cựu chiến binh xã Phương Giao giúp nhau làm kinh tế",
                    "Hội viên cựu chiến binh hiến đất làm đường ở xóm Khuôn Văn"]),
    ("rss092.xml", ["Thanh niên tình nguyện hè 2023 tại xã Sảng Mộc", "Ra mắt Câu lạc bộ khởi nghiệp thanh niên huyện"]),
    ("rss10.rdf", ["Ngày hội Đại đoàn kết toàn dân tộc ở xóm Na Hoàng",
                   "Trao 5 nhà Đại đoàn kết cho hộ nghèo xã Thượng Nung"]),
    ("rss20-content-encoded.xml", ["Bình Long ra mắt mô hình “Xóm không rác thải nhựa”",
                                   "Tập huấn chuyển đổi số cho tổ công nghệ số cộng đồng"]),
    ("atom10.xml", ["Vũ Chấn: trồng rừng gỗ lớn", "Giá trị sản xuất nông nghiệp < 5% so với cùng kỳ?"]),
])
def test_feeds_of_every_generation_give_their_stories(name: str, titles: list[str]) -> None:
    got = read_feed((DATA / name).read_bytes(), SOURCE, {}, f"http://example.vn/{name}")
    assert got.failures == [] and got.warnings == []
    assert [s.title for s in got.stories] == titles
    assert all(html_to_text(clean_html(s.body)).strip() for s in got.stories)
    assert len({s.external_id for s in got.stories}) == len(got.stories)


def test_content_encoded_is_preferred_over_the_summary() -> None:
    got = read_feed((DATA / "rss20-content-encoded.xml").read_bytes(), SOURCE)
    full = got.stories[0].body
    assert "100% hộ dân ký cam kết" in full and "[…]" not in full
    assert "<figcaption>Ra mắt mô hình tại nhà văn hóa xóm Làng Giàng.</figcaption>" in clean_html(full)
    rdf = read_feed((DATA / "rss10.rdf").read_bytes(), SOURCE)
    assert "96% hộ đạt danh hiệu" in rdf.stories[0].body and "Tóm tắt ngắn" not in rdf.stories[0].body


def test_plain_text_summary_stays_text_and_html_title_loses_markup() -> None:
    got = read_feed((DATA / "atom10.xml").read_bytes(), SOURCE, {}, "https://vuchan.example.vn/rss")
    plain = got.stories[1]
    assert "<b>" not in plain.body and "&lt;b&gt;" in plain.body
    assert html_to_text(clean_html(plain.body)).startswith("Chữ thường có dấu <b> không phải thẻ.")
    assert got.stories[0].title == "Vũ Chấn: trồng rừng gỗ lớn"
    # a relative Atom link is resolved against the feed's address
    assert got.stories[0].link == "https://vuchan.example.vn/tin/trong-rung-go-lon.html"


def test_relative_link_in_a_local_feed_resolves_against_the_site_link() -> None:
    got = read_feed((DATA / "rss20-content-encoded.xml").read_bytes(), SOURCE, {}, "file:///tmp/x.xml")
    assert got.stories[1].link == "https://binhlong.vonhai.example.vn/2023/08/tap-huan-chuyen-doi-so/"


def test_items_sharing_one_guid_are_kept_apart_and_long_ids_are_not_cut() -> None:
    data = (DATA / "shared-guids-long-ids.xml").read_bytes()
    first, again = read_feed(data, SOURCE), read_feed(data, SOURCE)
    ids = [s.external_id for s in first.stories]
    assert [s.title for s in first.stories] == ["Tin một", "Tin hai", "Tin ba", "Tin dài A", "Tin dài B"]
    assert len(set(ids)) == 5 and ids == [s.external_id for s in again.stories]  # distinct and stable
    assert all(len(i) <= MAX_ID for i in ids)
    assert stable_id("x" * 600 + "A") != stable_id("x" * 600 + "B")


def test_entity_bomb_and_external_entity_are_not_expanded() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    got = read_feed((DATA / "entity-bomb.xml").read_bytes(), SOURCE)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 100_000  # a billion laughs expanded would be gigabytes
    text = " ".join(s.title + s.body for s in got.stories)
    assert "lollollol" not in text and "root:" not in text
    assert got.failures and "bị hỏng" in got.failures[0].reason


def test_malformed_feed_keeps_complete_items_and_says_why() -> None:
    got = read_feed((DATA / "malformed.xml").read_bytes(), SOURCE)
    assert got.stories[0].title == "Liên Minh đạt chuẩn nông thôn mới nâng cao"
    assert "bị hỏng ở dòng" in got.failures[0].reason and got.failures[0].item == ""


def test_error_page_is_not_a_feed() -> None:
    got = read_feed((DATA / "not-a-feed.html").read_bytes(), SOURCE)
    assert got.stories == [] and "RSS/Atom" in got.failures[0].reason


def test_tcvn3_feed_declared_as_latin1_is_repaired_at_the_desk() -> None:
    got = read_feed((DATA / "tcvn3-declared-latin1.xml").read_bytes(), SOURCE)
    assert [clean_title(s.title) for s in got.stories] == ["Xã Cúc Đường ra quân làm đường bê tông",
                                                          "Hội Nông dân xã Cúc Đường trao vốn cho hội viên"]


@pytest.mark.parametrize(("name", "encoding", "title"), [
    ("tcvn3-undeclared.xml", "TCVN3", "Xã Cúc Đường ra quân làm đường bê tông"),
    ("windows-1258-undeclared.xml", "WINDOWS-1258", "Tràng Xá tổng kết phong trào “Dân vận khéo”"),
])
def test_undeclared_legacy_encoding_is_detected_with_a_warning(name: str, encoding: str, title: str) -> None:
    got = read_feed((DATA / name).read_bytes(), SOURCE)
    assert got.failures == []
    assert got.stories[0].title == title
    assert len(got.warnings) == 1 and encoding in got.warnings[0] and "không khai báo bảng mã" in got.warnings[0]


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                                  "java\tscript:alert(1)", "java\nscript:alert(1)", "&#1;javascript:alert(1)",
                                  "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;", "vbscript:msgbox(1)",
                                  "file:///etc/passwd", "&#106;avascript:alert(1)", "javascript&#58;alert(1)",
                                  "\u200bjavascript:alert(1)"])
def test_unsafe_item_links_are_dropped_at_ingest(link: str) -> None:
    # `link` is XML text: character references are decoded by the parser, as a browser would decode them.
    data = _rss(f"<item><title>Tin</title><guid>g</guid><link>{link}</link>"
                "<description>Nội dung</description></item>")
    (story,) = read_feed(data, SOURCE).stories
    assert story.link == ""


@pytest.mark.parametrize(("link", "kept"), [("https://x.vn/a", "https://x.vn/a"), ("mailto:a@x.vn", "mailto:a@x.vn"),
                                            ("/tin/1", "http://x/tin/1")])
def test_safe_item_links_are_kept(link: str, kept: str) -> None:
    data = _rss(f"<item><title>Tin</title><guid>g</guid><link>{link}</link><description>N</description></item>")
    assert read_feed(data, SOURCE).stories[0].link == kept


def test_vietnamese_priority_words_in_categories() -> None:
    data = _rss('<item><title>Bão</title><guid>b</guid><description>N</description>'
                '<category domain="priority">khẩn</category></item>')
    assert read_feed(data, SOURCE).stories[0].priority is Priority.EMERGENCY
