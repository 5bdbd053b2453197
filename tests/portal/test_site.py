"""The static portal: every page the newsroom needs, valid RSS, and writes only what changed."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import feedparser
import imageio_ffmpeg

from flows.models import Commune, Movement
from flows.portal import Edition, PortalStory, PublishResult, SiteInfo, StaticSitePublisher

INFO = SiteInfo(title="Cổng thông tin điện tử huyện Võ Nhai", column="Thi đua yêu nước", centre="Trung tâm",
                base_url="https://vonhai.example.vn/")
MOVEMENTS = [Movement("dan-van-kheo", "Dân vận khéo"), Movement("nong-thon-moi", "Nông thôn mới")]
COMMUNES = [Commune("than-sa", "Thần Sa"), Commune("dinh-ca", "Đình Cả", "thị trấn")]


def _story(i: int, **kw: object) -> PortalStory:
    base = dict(id=i, slug=f"bai-{i}", title=f"Tin số {i} <xã>", body_html=f"<p>Nội dung {i}</p>",
                body_text=f"Nội dung {i}", published_at=datetime(2023, 6, i), author="Hội Phụ nữ",
                source="Hộp thư", movements=("dan-van-kheo",), communes=("than-sa",))
    return PortalStory(**(base | kw))  # type: ignore[arg-type]


def _publish(pub: StaticSitePublisher, stories: list[PortalStory]) -> PublishResult:
    return pub.publish(Edition(INFO, stories, MOVEMENTS, COMMUNES), {})


def test_every_page_and_links(tmp_path: Path) -> None:
    clip = tmp_path.parent / "clip.mp3"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=1",
                    "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", "-write_xing", "0", "-id3v2_version", "0",
                    str(clip)], check=True)
    stories = [_story(1), _story(2, movements=(), communes=(), audio_source=str(clip))]
    report = _publish(StaticSitePublisher(tmp_path), stories)
    for page in ["index.html", "thi-dua-yeu-nuoc/index.html", "phong-trao/dan-van-kheo/index.html",
                 "xa/than-sa/index.html", "xa/dinh-ca/index.html", "bai/bai-1/index.html", "rss.xml"]:
        assert (tmp_path / page).is_file(), page
    assert report.pages_written == len(list(p for p in tmp_path.rglob("*") if p.is_file() and p.name[0] != "."))
    assert (tmp_path / "audio" / "bai-2.mp3").read_bytes().startswith(b"ID3")  # the clip, tagged for phones
    article = (tmp_path / "bai/bai-1/index.html").read_text()
    assert "Tin số 1 &lt;xã&gt;" in article  # titles are escaped
    assert "ngày 1 tháng 6 năm 2023" in article and '<html lang="vi">' in article
    assert 'href="../../phong-trao/dan-van-kheo/index.html"' in article
    assert '<audio' in (tmp_path / "bai/bai-2/index.html").read_text()
    assert '<audio' not in article
    movement = (tmp_path / "phong-trao/dan-van-kheo/index.html").read_text()
    assert "bai-1" in movement and "bai-2" not in movement
    assert "Chưa có bài viết" in (tmp_path / "xa/dinh-ca/index.html").read_text()


def test_rss_is_valid_and_newest_first(tmp_path: Path) -> None:
    _publish(StaticSitePublisher(tmp_path), [_story(1), _story(3)])
    feed = feedparser.parse((tmp_path / "rss.xml").read_bytes())
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Tin số 3 <xã>", "Tin số 1 <xã>"]
    assert feed.entries[0].link == "https://vonhai.example.vn/bai/bai-3/"


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
    assert fewer.pages_removed == 1 and fewer.withdrawn == [2]
    assert not (tmp_path / "bai/bai-2/index.html").exists()
    assert (tmp_path / "audio" / "bai-1.mp3").exists()  # not the site writer's file
