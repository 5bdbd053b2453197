"""Publishers: the static site (default) and CMS adapters, behind one small interface.

A publisher takes the whole edition (every story that should stand, with its voiced clip) and returns
what now stands where: one Publication per story (remote id, URL, content hash) and the stories it
took down. The library records these per destination, so a CMS publisher slots in beside the site.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from flows.models import Commune, Movement
from flows.portal.bulletins import SITE_FOLDER as BULLETINS_FOLDER, PortalBulletin, StationBulletins
from flows.portal.site import Media, PortalStory, SiteInfo, render_site, segment
from flows.portal.writer import WriteReport, atomic_write, write_site
from flows.store import Publication

__all__ = ["Edition", "Media", "PortalBulletin", "PublishResult", "Publisher", "StaticSitePublisher", "PortalStory",
           "SiteInfo", "StationBulletins", "WriteReport", "atomic_write", "make_publisher"]


@dataclass(frozen=True)
class Edition:
    """Everything that should stand on the portal now."""

    info: SiteInfo
    stories: list[PortalStory]
    movements: list[Movement]
    communes: list[Commune]
    bulletins: tuple[StationBulletins, ...] = ()  # every station, district first, with its latest bulletins
    warnings: tuple[str, ...] = ()  # what could not be shown (a bulletin whose manifest is broken)


@dataclass
class PublishResult:
    placed: list[Publication] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)
    pages_written: int = 0
    pages_unchanged: int = 0
    pages_removed: int = 0
    where: str = ""
    failed: dict[int, str] = field(default_factory=dict)  # story id -> why it could not be placed or withdrawn
    warnings: list[str] = field(default_factory=list)  # shown in the run's summary; the publish went on


class Publisher(Protocol):
    name: str  # the destination's id in the store's publications

    def publish(self, edition: Edition, standing: dict[int, Publication]) -> PublishResult:
        """Make the destination show exactly `edition`; `standing` is what the store says it shows now."""
        ...


def story_audio_path(slug: str) -> str:
    """Where a story's own MP3 sits inside the site folder."""
    return f"audio/{slug}.mp3"


def bulletin_audio_path(bulletin: PortalBulletin) -> str:
    """Where a copy of a station's bulletin sits inside the site folder: ban-tin/<station>/<day>-<slot>.mp3."""
    return f"{BULLETINS_FOLDER}/{segment(bulletin.station_id)}/{segment(bulletin.file_name[:-4])}.mp3"


class StaticSitePublisher:
    """A folder of HTML pages, an RSS feed and the stories' MP3s that any web server can serve."""

    name = "static"

    def __init__(self, out: Path, artist: str = "") -> None:
        self.out = out
        self.artist = artist

    def publish(self, edition: Edition, standing: dict[int, Publication]) -> PublishResult:
        stories = [self._with_media(self._with_audio(s)) for s in edition.stories]
        stations = [self._with_bulletin_audio(st) for st in edition.bulletins]
        rendered = render_site(edition.info, stories, edition.movements, edition.communes, stations)
        pages: dict[str, bytes | Path] = dict(rendered)
        for st in stations:
            for b in st.bulletins:  # copied as they are, only when changed; older copies leave with the page
                pages[b.href] = Path(b.source)
        for story in stories:
            if story.audio_href:
                pages[story.audio_href] = _tagged_story_audio(Path(story.audio_source), story.title, self.artist)
            for m in story.media:
                pages[m.href] = Path(m.source)  # copied by the writer in pieces, never held whole in memory
        written = write_site(pages, self.out)
        base = edition.info.base_url
        placed = []
        for story in stories:
            page = f"bai/{segment(story.slug)}/index.html"
            digest = hashlib.sha256(rendered.get(page, b"")).hexdigest()
            placed.append(Publication(story.id, self.name, story.slug, f"{base}bai/{story.slug}/", digest))
        shown = {s.id for s in stories}
        return PublishResult(placed=placed, withdrawn=[sid for sid in standing if sid not in shown],
                             pages_written=len(written.written), pages_unchanged=written.unchanged,
                             pages_removed=len(written.removed), where=str(self.out))

    @staticmethod
    def _with_media(story: PortalStory) -> PortalStory:
        """Photos and clips sent with the story, placed under media/<slug>/ by their own (hashed) names."""
        folder = f"media/{segment(story.slug)}"
        return replace(story, media=tuple(replace(m, href=f"{folder}/{m.file_name}") for m in story.media
                                          if Path(m.source).is_file()))

    @staticmethod
    def _with_bulletin_audio(station: StationBulletins) -> StationBulletins:
        """Only bulletins whose MP3 is there (retention may have removed one), each with its place on the site."""
        return replace(station, bulletins=tuple(replace(b, href=bulletin_audio_path(b)) for b in station.bulletins
                                                if Path(b.source).is_file()))

    @staticmethod
    def _with_audio(story: PortalStory) -> PortalStory:
        if story.audio_source and Path(story.audio_source).is_file():
            return replace(story, audio_href=story_audio_path(segment(story.slug)))  # never '../' in a path
        return replace(story, audio_href="")


def _tagged_story_audio(clip: Path, title: str, artist: str) -> bytes:
    """The clip with an ID3 tag naming the story, so a phone's player shows what it is."""
    from flows.audio import mp3

    data = clip.read_bytes()
    length_ms = round(mp3.scan(data).duration_seconds * 1000)
    return mp3.id3_tag(title=title, artist=artist, album=artist, date="", length_ms=length_ms) + data


def make_publisher(kind: str, out: Path, artist: str, wordpress: object = None) -> Publisher:
    """The publisher named in settings (portal.publisher); `wordpress` is portal.wordpress."""
    if kind == "static":
        return StaticSitePublisher(out, artist)
    if kind == "wordpress" and wordpress is not None:
        from flows.portal.wordpress import WordPressPublisher

        return WordPressPublisher.from_settings(wordpress)
    from flows.errors import UserError

    raise UserError(f"Không có cách đăng '{kind}'.", where="bantin.toml: portal.publisher",
                    hint="Dùng 'static' (thư mục trang tĩnh) hoặc 'wordpress' (xem [portal.wordpress]).")
