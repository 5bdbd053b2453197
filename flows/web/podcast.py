"""A station's bulletins as a podcast: RSS 2.0 with the iTunes tags (pure: records in, bytes out).

A podcast app or a loudspeaker controller polls this feed and takes each new bulletin by itself. Each item's
GUID names the bulletin (district, station, day, slot) and nothing else, so it never changes when the key,
the host name or the file does; dates are RFC 2822 in the district's time zone; newest first.
"""

from __future__ import annotations

import email.utils
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flows.audio.archive import ArchivedBulletin

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("itunes", ITUNES)
ET.register_namespace("atom", ATOM)


@dataclass(frozen=True)
class Channel:
    station_id: str
    station_name: str
    district_id: str
    district_name: str
    centre: str
    timezone: str
    feed_url: str  # this feed's own address (with the key)
    page_url: str  # the station's page for people


def hhmmss(seconds: float) -> str:
    total = int(round(seconds))
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def item_title(b: ArchivedBulletin) -> str:
    if b.emergency:
        return f"KHẨN CẤP – Bản tin khẩn cấp {b.slot_time:%H:%M} ngày {b.day:%d/%m/%Y}"
    return f"Bản tin {b.slot_name} ngày {b.day:%d/%m/%Y}"


def item_summary(b: ArchivedBulletin) -> str:
    titles = [str(i.get("title", "")) for i in b.items]
    head = f"{item_title(b)} – {b.station_name}. Phát lúc {b.slot_time:%H:%M}."
    if not titles:
        return head
    return head + " Nội dung: " + "; ".join(f"{n}. {t}" for n, t in enumerate(titles, 1)) + "."


def guid(channel: Channel, b: ArchivedBulletin) -> str:
    return f"bantin:{channel.district_id}:{b.station_id}:{b.day.isoformat()}:{b.slot_id}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def podcast_feed(channel: Channel, bulletins: Sequence[ArchivedBulletin],
                 audio_url: Callable[[ArchivedBulletin], str]) -> bytes:
    """The feed document. Only bulletins whose MP3 is on disk are items (enclosure length = its size)."""
    playable = sorted((b for b in bulletins if b.available), key=ArchivedBulletin.order, reverse=True)
    rss = ET.Element("rss", {"version": "2.0"})
    ch = _sub(rss, "channel")
    title = f"Bản tin – {channel.station_name}"
    _sub(ch, "title", title)
    _sub(ch, "link", channel.page_url)
    _sub(ch, f"{{{ATOM}}}link", href=channel.feed_url, rel="self", type="application/rss+xml")
    description = (f"Các bản tin phát thanh của {channel.station_name} ({channel.district_name}), "
                   f"do {channel.centre} thực hiện.")
    _sub(ch, "description", description)
    _sub(ch, "language", "vi")
    _sub(ch, "generator", "bantin")
    if playable:
        _sub(ch, "lastBuildDate", email.utils.format_datetime(playable[0].air_time(channel.timezone)))
    _sub(ch, f"{{{ITUNES}}}author", channel.centre)
    _sub(ch, f"{{{ITUNES}}}summary", description)
    _sub(ch, f"{{{ITUNES}}}type", "episodic")
    _sub(ch, f"{{{ITUNES}}}explicit", "false")
    ET.SubElement(ch, f"{{{ITUNES}}}category", {"text": "News"})
    owner = _sub(ch, f"{{{ITUNES}}}owner")
    _sub(owner, f"{{{ITUNES}}}name", channel.centre)
    for b in playable:
        item = _sub(ch, "item")
        _sub(item, "title", item_title(b))
        _sub(item, "description", item_summary(b))
        _sub(item, "link", channel.page_url)
        _sub(item, "guid", guid(channel, b), isPermaLink="false")
        _sub(item, "pubDate", email.utils.format_datetime(b.air_time(channel.timezone)))
        _sub(item, "enclosure", url=audio_url(b), length=str(b.audio_bytes), type="audio/mpeg")
        _sub(item, f"{{{ITUNES}}}title", item_title(b))
        _sub(item, f"{{{ITUNES}}}duration", hhmmss(b.duration_seconds))
        _sub(item, f"{{{ITUNES}}}summary", item_summary(b))
        _sub(item, f"{{{ITUNES}}}explicit", "false")
        _sub(item, f"{{{ITUNES}}}episodeType", "full")
    ET.indent(rss)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="utf-8", xml_declaration=False) + b"\n"
