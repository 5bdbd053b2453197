"""The podcast feed, read by gPodder's podcastparser and by feedparser the way podcast apps read it, and the
fixed 'latest' addresses that playout software fetches."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from contextlib import closing
from datetime import timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import feedparser
import podcastparser
import pytest

from flows.audio.ffmpeg import probe_duration

if TYPE_CHECKING:
    from tests.web.conftest import Server

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"


@pytest.fixture(scope="module")
def feed(server: Server) -> tuple[str, bytes]:
    url = f"{server.url}/k/binh-long/{server.key('binh-long')}/podcast.xml"
    with closing(server.client()) as c:
        r = c.get(url)
    assert r.status_code == 200 and r.headers["content-type"] == "application/rss+xml; charset=utf-8"
    return url, r.content


def _local(server: Server, url: str) -> Path:
    """The file an enclosure URL names, found on disk from the URL's day and slot."""
    parts = urlsplit(url).path.split("/")
    day, slot = parts[-2], parts[-1].removesuffix(".mp3")
    return server.night.audio_out / parts[2] / day / f"{slot}.mp3"


def test_podcastparser_reads_every_playable_bulletin_with_its_real_size(server: Server, feed) -> None:  # type: ignore[no-untyped-def]
    url, body = feed
    parsed = podcastparser.parse(url, io.BytesIO(body))
    assert parsed["title"] == "Bản tin – Đài Truyền thanh xã Bình Long"
    episodes = parsed["episodes"]
    # yesterday, today and tomorrow, two slots each, plus today's emergency bulletin; the old day lost its MP3s
    # to retention and the planted link is no bulletin, so neither is in the feed.
    assert len(episodes) == 7
    for ep in episodes:
        (enclosure,) = ep["enclosures"]
        assert enclosure["url"].endswith(".mp3") and enclosure["mime_type"] == "audio/mpeg"
        assert enclosure["file_size"] == _local(server, enclosure["url"]).stat().st_size
        assert ep["guid"].startswith("bantin:vo-nhai:binh-long:")
    published = [ep["published"] for ep in episodes]
    assert published == sorted(published, reverse=True)  # newest first
    emergency = [ep for ep in episodes if ep["title"].startswith("KHẨN CẤP")]
    assert len(emergency) == 1 and emergency[0]["guid"].endswith(":" + server.night.emergency_slot)


def test_feedparser_reads_it_cleanly_with_itunes_tags(server: Server, feed) -> None:  # type: ignore[no-untyped-def]
    url, body = feed
    parsed = feedparser.parse(body, response_headers={"content-location": url, "content-type": "application/rss+xml"})
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20" and parsed.feed.language == "vi"
    assert parsed.feed.author.startswith("Trung tâm Văn hóa")
    for entry in parsed.entries:
        (enclosure,) = entry.enclosures
        mp3 = _local(server, enclosure.href)
        assert int(enclosure.length) == mp3.stat().st_size
        manifest = json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))
        h, m, s = (int(x) for x in entry.itunes_duration.split(":"))
        assert abs(h * 3600 + m * 60 + s - manifest["duration_seconds"]) <= 0.5
        assert abs(probe_duration(mp3) - manifest["duration_seconds"]) <= 0.1  # the decoded audio agrees
        # RFC 2822, in the district's time zone, at the slot's time on the bulletin's day
        when = parsedate_to_datetime(entry.published)
        assert when.utcoffset() == timedelta(hours=7) and entry.published.endswith("+0700")
        assert when.strftime("%H:%M") == manifest["slot"]["time"] and when.date().isoformat() == manifest["date"]
        assert entry.id.endswith(f":{manifest['date']}:{manifest['slot']['id']}") and entry.guidislink is False


def test_the_feed_document_is_well_formed_rss_with_the_itunes_channel_tags(feed) -> None:  # type: ignore[no-untyped-def]
    _, body = feed
    root = ET.fromstring(body)
    channel = root.find("channel")
    assert root.tag == "rss" and root.get("version") == "2.0" and channel is not None
    for tag in ("author", "summary", "explicit", "owner", "type"):
        assert channel.find(ITUNES + tag) is not None, tag
    assert channel.find(ITUNES + "category").get("text") == "News"  # type: ignore[union-attr]
    for item in channel.findall("item"):
        assert item.find(ITUNES + "duration") is not None and item.find("guid").get("isPermaLink") == "false"  # type: ignore[union-attr]


def test_guids_stay_when_the_key_is_reissued_and_the_feed_answers_304_when_unchanged(server: Server, feed) -> None:  # type: ignore[no-untyped-def]
    url, body = feed
    with closing(server.client()) as c:
        first = c.get(url)
        assert c.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
        head = c.head(url)
        assert head.status_code == 200 and int(head.headers["content-length"]) == len(first.content)
    guids = [e["guid"] for e in podcastparser.parse(url, io.BytesIO(body))["episodes"]]
    with closing(server.login("bien-tap")) as editor:  # later tests ask for the station's live key afresh
        token = server.form_token(editor, "/dai/binh-long")
        assert editor.post("/dai/binh-long/khoa", data={"csrf_token": token}).status_code == 303
    new = server.keys().live("binh-long")
    assert new is not None
    new_url = f"{server.url}/k/binh-long/{new.secret}/podcast.xml"
    with closing(server.client()) as c:
        reread = podcastparser.parse(new_url, io.BytesIO(c.get(new_url).content))["episodes"]
        assert c.get(url).status_code == 403  # the old key's feed is gone
    assert [e["guid"] for e in reread] == guids
    assert all(new.secret in e["enclosures"][0]["url"] for e in reread)


def test_feed_fetches_are_logged(server: Server, feed) -> None:  # type: ignore[no-untyped-def]
    url, _ = feed
    rows = server.wait_for_fetches(lambda f: f.kind == "feed" and f.station_id == "binh-long" and f.status == 200)
    assert rows and rows[0].by_station and rows[0].who.startswith("khóa #") and rows[0].key_id is not None
    assert rows[0].bytes_sent > 0 and rows[0].complete


def test_latest_of_a_slot_and_latest_emergency_at_fixed_addresses(server: Server) -> None:
    night = server.night
    base = f"/k/binh-long/{server.key('binh-long')}/moi-nhat"
    with closing(server.client()) as c:
        sang = c.get(f"{base}/sang.mp3")
        assert sang.status_code == 200 and sang.content == night.mp3("binh-long", night.tomorrow, "sang").read_bytes()
        assert night.tomorrow.strftime("%d-%m-%Y") in sang.headers["content-disposition"]
        alert = c.get(f"{base}/khan-cap.mp3")
        assert alert.content == night.mp3("binh-long", night.today, night.emergency_slot).read_bytes()
        resumed = c.get(f"{base}/sang.mp3", headers={"Range": "bytes=100-", "If-Range": sang.headers["etag"]})
        assert resumed.status_code == 206 and resumed.content == sang.content[100:]
        assert c.get(f"{base}/trua.mp3").status_code == 404
        vo_nhai = c.head(f"/k/vo-nhai/{server.key('vo-nhai')}/moi-nhat/khan-cap.mp3")
        assert vo_nhai.status_code == 404  # no emergency bulletin there
    rows = server.wait_for_fetches(lambda f: f.kind == "latest" and f.station_id == "binh-long", count=3)
    assert {(f.day, f.slot_id) for f in rows} >= {(night.tomorrow, "sang"), (night.today, night.emergency_slot)}
