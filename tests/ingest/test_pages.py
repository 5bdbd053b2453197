"""A commune's news site without a feed, read from its listing page to its articles over real HTTP (the test
server in conftest.py), with the selectors a newsroom sets in sources.toml."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import html5lib
import pytest

from flows.editing.clean import clean_html, html_to_text
from flows.ingest import read_source
from flows.ingest.fetch import Limits
from flows.ingest.pages import parse_date_text, parse_listing, parse_page
from flows.models import PageRules, Source

RULES = PageRules(links=".list-news a.title", title="h1.title-detail", body=".detail-content", date=".post-date",
                  drop=(".caption-credit",))
LIMITS = Limits(connect_timeout=10.0, read_timeout=10.0, deadline=60.0, max_bytes=1_000_000, user_agent="bantin-test")
DATA = Path(__file__).resolve().parent / "data" / "pages"


def _source(server: str, rules: PageRules = RULES) -> Source:
    return Source(id="xa-than-sa-web", name="Trang xã Thần Sa", kind="page",
                  location=f"{server}/data/pages/tin/index.html", page=rules)


def test_listing_to_articles_with_clean_text_dates_and_captions(hostile_server: str, server_log) -> None:  # type: ignore[no-untyped-def]
    got = read_source(_source(hostile_server), base=Path("."), limits=LIMITS, polite_delay=0.05)
    titles = [s.title for s in got.stories]
    assert titles == ["Thần Sa ra mắt mô hình “Xóm văn hóa không có tội phạm”",
                      "Phụ nữ Thần Sa hưởng ứng phong trào “Dân vận khéo”"]
    first, second = got.stories
    assert first.published_at == datetime(2023, 6, 12, 8, 45)  # the article's own date line
    assert second.published_at == datetime(2023, 5, 20)  # its dateline
    assert first.link == f"{hostile_server}/data/pages/tin/bai-1.html"

    body = clean_html(first.body)
    doc = html5lib.parse(body, namespaceHTMLElements=False)
    text = html_to_text(body)
    assert text.startswith("Ngày 10/6/2023, UBND xã Thần Sa ra mắt mô hình")
    for furniture in ("Chia sẻ Facebook", "Tin liên quan", "Bình luận", "quảng cáo", "Trang chủ", "Cập nhật"):
        assert furniture not in text
    captions = [f.text for f in doc.iter("figcaption")]
    assert captions == ["Lãnh đạo xã trao quyết định ra mắt mô hình cho xóm Kim Sơn.",
                        "Tổ tự quản an ninh xóm Kim Sơn tuần tra ban đêm."]
    images = [img.get("src") for img in doc.iter("img")]
    assert images == [f"{hostile_server}/data/pages/anh/ra-mat.jpg", "https://thansa.example.vn/anh/to-tu-quan.jpg"]
    assert [a.get("href") for a in doc.iter("a")] == [f"{hostile_server}/data/pages/tin/lien-he.html"]
    assert all(not k.startswith("on") and k != "style" for el in doc.iter() for k in el.attrib)

    # the windows-1258 article without a declared charset is read, with a note for the editors
    assert "120 hội viên" in second.body
    assert any("WINDOWS-1258" in w for w in got.warnings)
    # robots.txt kept one article out; a deleted article failed alone; other sites and bad links were ignored
    reasons = {f.item.rsplit("/", 1)[-1].removesuffix("#khong-doc-duoc"): f.reason for f in got.failures}
    assert set(reasons) == {"bai-an.html", "khong-co.html"}
    assert "robots.txt" in reasons["bai-an.html"] and "HTTP 404" in reasons["khong-co.html"]
    assert "/data/pages/cam/bai-an.html" not in server_log.hits
    # one request at a time to the host: never two in flight
    assert server_log.max_in_flight == 1 and server_log.hits["/robots.txt"] == 1


def test_requests_to_one_host_are_spaced_by_the_polite_delay(hostile_server: str, server_log) -> None:  # type: ignore[no-untyped-def]
    read_source(_source(hostile_server), base=Path("."), limits=LIMITS, polite_delay=0.3)
    starts = [t for _path, t in server_log.starts]
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert len(gaps) >= 4 and min(gaps) >= 0.29


def test_robots_txt_forbidding_the_listing_stops_the_source(hostile_server: str) -> None:
    source = Source(id="cam", name="Trang cấm", kind="page", location=f"{hostile_server}/data/pages/cam/bai-an.html",
                    page=RULES)
    got = read_source(source, base=Path("."), limits=LIMITS, polite_delay=0.0)
    assert got.stories == [] and "robots.txt" in got.failures[0].reason and got.failures[0].item == ""


def test_listing_that_changed_its_layout_says_which_selector(hostile_server: str) -> None:
    rules = PageRules(links=".danh-sach-tin a")
    got = read_source(_source(hostile_server, rules), base=Path("."), limits=LIMITS, polite_delay=0.0)
    assert got.stories == [] and ".danh-sach-tin a" in got.failures[0].reason


def test_local_listing_reads_articles_beside_it_only(tmp_path: Path) -> None:
    source = Source(id="mau", name="Mẫu", kind="page", location=str(DATA / "tin" / "index.html"), page=RULES)
    got = read_source(source, base=tmp_path, limits=LIMITS)
    assert [s.title for s in got.stories][:2] == ["Thần Sa ra mắt mô hình “Xóm văn hóa không có tội phạm”",
                                                  "Phụ nữ Thần Sa hưởng ứng phong trào “Dân vận khéo”"]
    assert all(s.link == "" for s in got.stories)  # a file address is no link for the portal
    assert not any("bai-an" in f.item for f in got.failures)  # ../cam/ is outside the listing's folder


def test_listing_keeps_same_site_links_in_order() -> None:
    html = (DATA / "tin" / "index.html").read_text(encoding="utf-8")
    links = parse_listing(html, "http://thansa.example.vn/data/pages/tin/index.html", RULES)
    assert links == ["http://thansa.example.vn/data/pages/tin/bai-1.html",
                     "http://thansa.example.vn/data/pages/tin/bai-2.html",
                     "http://thansa.example.vn/data/pages/cam/bai-an.html",
                     "http://thansa.example.vn/data/pages/tin/khong-co.html"]


@pytest.mark.parametrize(("text", "when"), [
    ("Cập nhật: 12/06/2023 08:45", datetime(2023, 6, 12, 8, 45)),
    ("Thứ hai, 12-6-2023, 8h45", datetime(2023, 6, 12, 8, 45)),
    ("2023-06-12T08:45:00+07:00", datetime(2023, 6, 12, 8, 45)),
    ("Ngày 12 tháng 6 năm 2023", datetime(2023, 6, 12)),
    ("31/02/2023", None),
    ("không có ngày", None),
])
def test_dates_as_sites_print_them(text: str, when: datetime | None) -> None:
    assert parse_date_text(text) == when


SOURCE = Source(id="trang", name="Trang xã", kind="page", location="http://x")

PAGE = """<!doctype html><html><head><title>Tin xã | UBND xã Thần Sa</title>
<meta property="og:title" content="Xã Thần Sa ra mắt mô hình dân vận khéo"></head>
<body><nav>Trang chủ · Tin tức</nav><article><h1>Xã Thần Sa ra mắt mô hình</h1>
<div class="content"><p>Ngày 12/6/2023, xã Thần Sa ra mắt mô hình.</p><p>Đoạn hai.</p></div></article>
<footer>Bản quyền</footer></body></html>"""


def test_single_page_title_from_og_and_body_from_the_article() -> None:
    stories, failures = parse_page(PAGE.encode(), SOURCE, "http://thansa.vn/tin/1")
    assert failures == []
    (story,) = stories
    assert story.title == "Xã Thần Sa ra mắt mô hình dân vận khéo"
    assert "Ngày 12/6/2023" in story.body and "Bản quyền" not in story.body and "Trang chủ" not in story.body
    assert story.external_id == "http://thansa.vn/tin/1" and story.link == story.external_id
    assert story.published_at == datetime(2023, 6, 12)


def test_page_without_text_is_a_failure_with_a_reason() -> None:
    stories, failures = parse_page(b"<html><body><img src='a.jpg'></body></html>", SOURCE, "http://x/2")
    assert stories == [] and "không có nội dung" in failures[0].reason
