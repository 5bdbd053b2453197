"""A unit's own news page, read with beautifulsoup4."""

from __future__ import annotations

from flows.ingest.pages import parse_page
from flows.models import Source

SOURCE = Source(id="trang", name="Trang xã", kind="page", location="http://x")

PAGE = """<!doctype html><html><head><title>Tin xã | UBND xã Thần Sa</title>
<meta property="og:title" content="Xã Thần Sa ra mắt mô hình dân vận khéo"></head>
<body><nav>Trang chủ · Tin tức</nav><article><h1>Xã Thần Sa ra mắt mô hình</h1>
<div class="content"><p>Ngày 12/6/2023, xã Thần Sa ra mắt mô hình.</p><p>Đoạn hai.</p></div></article>
<footer>Bản quyền</footer></body></html>"""


def test_title_from_og_and_body_from_the_article() -> None:
    stories, failures = parse_page(PAGE.encode(), SOURCE, "http://thansa.vn/tin/1")
    assert failures == []
    (story,) = stories
    assert story.title == "Xã Thần Sa ra mắt mô hình dân vận khéo"
    assert "Ngày 12/6/2023" in story.body and "Bản quyền" not in story.body and "Trang chủ" not in story.body
    assert story.external_id == "http://thansa.vn/tin/1" and story.link == story.external_id


def test_page_without_text_is_a_failure_with_a_reason() -> None:
    stories, failures = parse_page(b"<html><body><img src='a.jpg'></body></html>", SOURCE, "http://x/2")
    assert stories == [] and "không có nội dung" in failures[0].reason
