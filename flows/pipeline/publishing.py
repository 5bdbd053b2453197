"""Publish: every approved story on the portal, through the publisher chosen in settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows.content import Newsroom
from flows.models import DISTRICT, EMERGENCY_SOURCE, StoryState
from flows.portal import PortalStory, SiteInfo, StaticSitePublisher
from flows.store import Store

ON_AIR_OR_WEB = (StoryState.APPROVED, StoryState.PUBLISHED, StoryState.BROADCAST)


@dataclass
class PublishReport:
    stories: int = 0
    newly_published: list[int] = field(default_factory=list)
    pages_written: int = 0
    pages_unchanged: int = 0
    pages_removed: int = 0
    where: str = ""


def portal_stories(newsroom: Newsroom, store: Store) -> list[PortalStory]:
    out_dir = newsroom.settings.portal.output
    stories = []
    for row in store.stories(*ON_AIR_OR_WEB):
        audio_href = ""
        if row.audio_path and (out_dir / row.audio_path).exists():
            audio_href = row.audio_path
        stories.append(PortalStory(
            id=row.id, slug=row.slug or str(row.id), title=row.title, body_html=row.body_html or "",
            body_text=row.body_text or "", published_at=row.published_at or row.submitted_at,
            author=row.author, source=_source_name(newsroom, row.source_id), link=row.link,
            movements=tuple(row.movements), communes=tuple(c for c in row.communes if c != DISTRICT),
            audio_href=audio_href,
        ))
    return stories


def publish_portal(newsroom: Newsroom, store: Store) -> PublishReport:
    settings = newsroom.settings
    info = SiteInfo(title=settings.portal.title, column=settings.portal.column, centre=settings.district.centre,
                    base_url=settings.portal.base_url, district=settings.district.name,
                    province=settings.district.province, address=settings.portal.address,
                    phone=settings.portal.phone, email=settings.portal.email)
    publisher = StaticSitePublisher(settings.portal.output)
    stories = with_credits(portal_stories(newsroom, store), store, newsroom)  # ingest: every source, villages
    written = publisher.publish(info, stories, newsroom.movements, newsroom.communes)
    newly = store.mark_published([s.id for s in stories], where=f"cổng thông tin ({publisher.name})")
    return PublishReport(stories=len(stories), newly_published=newly, pages_written=len(written.written),
                         pages_unchanged=written.unchanged, pages_removed=len(written.removed),
                         where=str(settings.portal.output))


def with_credits(stories: list[PortalStory], store: Store, newsroom: Newsroom) -> list[PortalStory]:
    """Each story with every source that sent it (duplicates kept as one story) and the villages it names."""
    from dataclasses import replace

    from flows.portal.site import Credit

    ids = [s.id for s in stories]
    credits, tags = store.credits(ids), store.tags(ids)
    return [replace(s, credits=tuple(Credit(_source_name(newsroom, c.source_id), c.link) for c in credits[s.id]),
                    villages=tuple(t.label for t in tags[s.id] if t.kind == "village")) for s in stories]


def _source_name(newsroom: Newsroom, source_id: str) -> str:
    source = newsroom.find_source(source_id)
    if source is not None:
        return source.name
    # Emergency items come from the centre itself, not from a configured source.
    return newsroom.settings.district.centre if source_id == EMERGENCY_SOURCE else source_id


def story_audio_path(slug: str) -> Path:
    """Where a story's own MP3 sits inside the portal folder."""
    return Path("audio") / f"{slug}.mp3"

