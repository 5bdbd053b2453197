"""The static portal: every page a district portal needs, valid feeds with absolute links, safe paths and titles,
and writes only what changed. Pages are read through html5lib (the browsers' parsing algorithm)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import feedparser
import html5lib
import pytest

from flows.models import Commune, Movement
from flows.portal import Edition, PortalStory, SiteInfo, StaticSitePublisher
from flows.portal.site import Credit, render_site, segment
from flows.portal.writer import UnsafePathError, write_site

INFO = SiteInfo(title="Cổng thông tin điện tử huyện Võ Nhai", column="Thi đua yêu nước", centre="Trung tâm",
                base_url="https://vonhai.example.vn/", district="huyện Võ Nhai", province="tỉnh Thái Nguyên",
                address="Thị trấn Đình Cả", email="ttvh@vonhai.example.vn")
MOVEMENTS = [Movement("dan-van-kheo", "Dân vận khéo"), Movement("nong-thon-moi", "Nông thôn mới")]
COMMUNES = [Commune("than-sa", "Thần Sa"), Commune("dinh-ca", "Đình Cả", "thị trấn")]


def _story(i: int, **kw: object) -> PortalStory:
    base = dict(id=i, slug=f"bai-{i}", title=f"Tin số {i}: giá trị < 5% & “xã”", body_html=f"<p>Nội dung {i}</p>",
                body_text=f"Nội dung {i}", published_at=datetime(2023, 6, i), author="Hội Phụ nữ",
                source="Hộp thư", movements=("dan-van-kheo",), communes=("than-sa",))
    return PortalStory(**(base | kw))  # type: ignore[arg-type]


def _publish(out: Path, stories: list[PortalStory], info: SiteInfo = INFO, movements=MOVEMENTS,  # type: ignore[no-untyped-def]
             communes=COMMUNES):
    result = StaticSitePublisher(out).publish(Edition(info, stories, movements, communes), {})
    return _Written(result)


class _Written:
    """What the site writer did, read from the publisher's result and the folder."""

    def __init__(self, result) -> None:  # type: ignore[no-untyped-def]
        self.result = result
        self.written_count = result.pages_written
        self.removed_count = result.pages_removed


def _tree(path: Path):  # type: ignore[no-untyped-def]
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def _text(el) -> str:  # type: ignore[no-untyped-def]
    return " ".join("".join(el.itertext()).split())


def test_every_page_a_district_portal_needs(tmp_path: Path) -> None:
    import subprocess

    import imageio_ffmpeg

    clip = tmp_path / "clip.mp3"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=1", "-ac", "1",
                    "-c:a", "libmp3lame", "-b:a", "64k", "-write_xing", "0", "-id3v2_version", "0", str(clip)], check=True)
    tmp_path = tmp_path / "site"
    stories = [_story(1), _story(2, movements=(), communes=(), audio_source=str(clip))]
    report = _publish(tmp_path, stories)
    assert (tmp_path / "audio" / "bai-2.mp3").read_bytes().startswith(b"ID3")  # the clip, tagged for phones
    for page in ["index.html", "thi-dua-yeu-nuoc/index.html", "phong-trao/dan-van-kheo/index.html",
                 "xa/index.html", "xa/than-sa/index.html", "xa/than-sa/nhung.html", "xa/than-sa/rss.xml",
                 "xa/dinh-ca/index.html", "bai/bai-1/index.html", "tim-kiem/index.html", "tim-kiem/chi-muc.json",
                 "lien-he/index.html", "thong-bao-khan/index.html", "ban-tin/index.html", "rss.xml", "atom.xml",
                 "sitemap.xml",
                 "static/style.css"]:
        assert (tmp_path / page).is_file(), page
    assert report.written_count == len(list(p for p in tmp_path.rglob("*") if p.is_file() and p.name[0] != "."))
    home = _tree(tmp_path / "index.html")
    assert _text(home.find(".//header")) == "★ Ủy ban nhân dân huyện Võ Nhai – tỉnh Thái Nguyên " \
                                           "Cổng thông tin điện tử huyện Võ Nhai"
    nav = [_text(a) for a in home.find(".//nav").iter("a")]
    assert nav == ["Trang chủ", "Thi đua yêu nước", "Phong trào thi đua", "Thông báo khẩn", "Bản tin phát thanh",
                   "Xã, thị trấn", "Tìm kiếm", "Liên hệ"]
    assert home.find(".//form[@role='search']").get("action") == "tim-kiem/index.html"
    contact = _tree(tmp_path / "lien-he/index.html")
    assert "Thị trấn Đình Cả" in _text(contact.find(".//main"))
    assert contact.find(".//main//a").get("href") == "mailto:ttvh@vonhai.example.vn"
    article = _tree(tmp_path / "bai/bai-1/index.html")
    assert _text(article.find(".//article/h1")) == "Tin số 1: giá trị < 5% & “xã”"  # escaped, shown as text
    assert _text(article.find(".//p[@class='meta']")) == "ngày 1 tháng 6 năm 2023 · Hội Phụ nữ"
    assert article.get("lang") == "vi"
    hrefs = [a.get("href") for a in article.iter("a")]
    assert "../../phong-trao/dan-van-kheo/index.html" in hrefs
    assert article.find(".//audio") is None and _tree(tmp_path / "bai/bai-2/index.html").find(".//audio") is not None
    movement = _text(_tree(tmp_path / "phong-trao/dan-van-kheo/index.html").find(".//main"))
    assert "Tin số 1" in movement and "Tin số 2" not in movement
    assert "Chưa có bài viết" in _text(_tree(tmp_path / "xa/dinh-ca/index.html").find(".//main"))


def test_commune_names_keep_their_capitals(tmp_path: Path) -> None:
    _publish(tmp_path, [_story(1)])
    names = [_text(a) for a in _tree(tmp_path / "xa/index.html").find(".//main").iter("a")]
    assert names == ["Xã Thần Sa", "Thị trấn Đình Cả"]


def test_a_commune_page_can_be_linked_or_embedded(tmp_path: Path) -> None:
    _publish(tmp_path, [_story(1), _story(2, communes=())])
    page = _tree(tmp_path / "xa/than-sa/index.html")
    code = _text(page.find(".//pre"))
    assert code.startswith('<iframe src="https://vonhai.example.vn/xa/than-sa/nhung.html"')
    embed = _tree(tmp_path / "xa/than-sa/nhung.html")
    links = [a for a in embed.iter("a")]
    assert [_text(a) for a in links[1:]] == ["Tin số 1: giá trị < 5% & “xã”"]  # only the commune's stories
    assert all(a.get("target") == "_blank" for a in links)
    commune_feed = feedparser.parse((tmp_path / "xa/than-sa/rss.xml").read_bytes())
    assert [e.link for e in commune_feed.entries] == ["https://vonhai.example.vn/bai/bai-1/index.html"]


def test_feeds_have_absolute_links_text_summaries_and_a_sitemap(tmp_path: Path) -> None:
    _publish(tmp_path, [_story(1, body_text="Chữ <b>không phải thẻ</b> trong bài."), _story(3)])
    rss = feedparser.parse((tmp_path / "rss.xml").read_bytes())
    assert not rss.bozo
    assert [e.title for e in rss.entries] == ["Tin số 3: giá trị < 5% & “xã”", "Tin số 1: giá trị < 5% & “xã”"]
    assert rss.entries[0].link == "https://vonhai.example.vn/bai/bai-3/index.html"
    # the description, which readers treat as HTML, shows the summary as the text it is
    assert rss.entries[1].summary == "Chữ &lt;b&gt;không phải thẻ&lt;/b&gt; trong bài."
    atom = feedparser.parse((tmp_path / "atom.xml").read_bytes())
    assert not atom.bozo and atom.version == "atom10"
    assert atom.entries[1].summary_detail.type == "text/plain"
    assert atom.entries[0].link == "https://vonhai.example.vn/bai/bai-3/index.html"
    sitemap = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    from lxml import etree

    locs = [el.text for el in etree.fromstring(sitemap.encode()).iter("{*}loc")]
    assert "https://vonhai.example.vn/bai/bai-1/index.html" in locs and "https://vonhai.example.vn/index.html" in locs
    assert all(loc.startswith("https://vonhai.example.vn/") for loc in locs)


def test_without_an_absolute_base_url_no_feed_has_relative_links(tmp_path: Path) -> None:
    relative = SiteInfo(title="Cổng", column="Thi đua yêu nước", centre="Trung tâm", base_url="/")
    _publish(tmp_path, [_story(1)], info=relative)
    assert not (tmp_path / "rss.xml").exists() and not (tmp_path / "sitemap.xml").exists()
    home = _tree(tmp_path / "index.html")
    assert all(link.get("type") not in {"application/rss+xml", "application/atom+xml"} for link in home.iter("link"))


@pytest.mark.parametrize("bad", ["../../x", "../evil", "/etc/cron.d/x", "a b", "x/../../y", "..", ""])
def test_ids_and_slugs_never_write_outside_the_site(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "site"
    movements = [Movement(bad or "x", "Phong trào lạ")]
    communes = [Commune(bad or "y", "Xã lạ")]
    _publish(out, [_story(1, slug=bad, movements=(bad,), communes=(bad,))], movements=movements, communes=communes)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written and all(out in p.parents for p in written)
    assert segment(bad) != bad or bad == ""
    assert all(part not in {"..", ""} for p in written for part in p.relative_to(out).parts)


def test_the_writer_refuses_paths_that_leave_the_folder(tmp_path: Path) -> None:
    for rel in ["../x.html", "/tmp/x.html", "a/../../x.html", "a\\..\\x.html"]:
        with pytest.raises(UnsafePathError):
            write_site({"index.html": b"ok", rel: b"no"}, tmp_path / "site")
        assert not (tmp_path / "site" / "index.html").exists()  # nothing written when one path is bad
    (tmp_path / "site").mkdir(exist_ok=True)
    (tmp_path / "site" / "ra-ngoai").symlink_to(tmp_path)
    with pytest.raises(UnsafePathError):
        write_site({"ra-ngoai/x.html": b"no"}, tmp_path / "site")
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize(("raw", "shown"), [
    ("Tin\x00 có\x01 ký tự\x0b điều khiển", "Tin có ký tự điều khiển"),
    ("Thi \u00aeua y\u00aau n\u00ad\u00edc \u00b8i qu\u00e8c", "Thi đua yêu nước ái quốc"),
    ("<b>Tin</b> <script>x</script>xã", "Tin xã"),
])
def test_titles_with_controls_or_legacy_encoding_render(tmp_path: Path, raw: str, shown: str) -> None:
    pages = render_site(INFO, [_story(1, title=raw)], MOVEMENTS, COMMUNES)
    article = html5lib.parse(pages["bai/bai-1/index.html"], namespaceHTMLElements=False)
    assert _text(article.find(".//article/h1")) == shown
    assert feedparser.parse(pages["rss.xml"]).entries[0].title == shown


def test_credits_name_every_source_with_safe_links(tmp_path: Path) -> None:
    story = _story(1, credits=(Credit("UBND xã Thần Sa", "https://thansa.example.vn/tin/1"),
                               Credit("Hội Nông dân huyện", "javascript:alert(1)")), villages=("Kim Sơn (xã Thần Sa)",))
    _publish(tmp_path, [story])
    source = _tree(tmp_path / "bai/bai-1/index.html").find(".//p[@class='source']")
    assert _text(source) == "Nguồn: UBND xã Thần Sa; Hội Nông dân huyện"
    assert [a.get("href") for a in source.iter("a")] == ["https://thansa.example.vn/tin/1"]


def test_second_publish_writes_nothing_and_withdrawn_story_is_removed(tmp_path: Path) -> None:
    pub = StaticSitePublisher(tmp_path)
    first = pub.publish(Edition(INFO, [_story(1), _story(2)], MOVEMENTS, COMMUNES), {})
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "bai-1.mp3").write_bytes(b"ID3")
    standing = {p.story_id: p for p in first.placed}
    again = pub.publish(Edition(INFO, [_story(1), _story(2)], MOVEMENTS, COMMUNES), standing)
    assert again.pages_written == 0 and again.pages_removed == 0 and again.withdrawn == []
    assert [p.content_hash for p in again.placed] == [p.content_hash for p in first.placed]
    fewer = pub.publish(Edition(INFO, [_story(1)], MOVEMENTS, COMMUNES), standing)
    assert fewer.withdrawn == [2] and fewer.pages_removed >= 1  # its page, and it leaves the commune feed
    assert "Tin số 2" not in (tmp_path / "xa/than-sa/rss.xml").read_text(encoding="utf-8")
    assert not (tmp_path / "bai/bai-2/index.html").exists()
    assert (tmp_path / "audio" / "bai-1.mp3").exists()  # not the site writer's file
