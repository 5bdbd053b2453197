"""Publish: every story that should stand on the portal, through the publisher chosen in settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from flows.content import Newsroom
from flows.models import DISTRICT, EMERGENCY_SOURCE
from flows.portal import Edition, PortalStory, SiteInfo, make_publisher
from flows.portal.bulletins import latest_bulletins
from flows.store import ON_AIR_OR_WEB, Store
from flows.store.locks import holding


@dataclass
class PublishReport:
    stories: int = 0
    newly_published: list[int] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)
    pages_written: int = 0
    pages_unchanged: int = 0
    pages_removed: int = 0
    where: str = ""
    failed: dict[int, str] = field(default_factory=dict)  # story id -> why the publisher could not place it
    warnings: list[str] = field(default_factory=list)  # e.g. a bulletin left off the portal (broken manifest)


def edition(newsroom: Newsroom, store: Store) -> Edition:
    """What the portal should show now: every approved, published or broadcast story."""
    settings = newsroom.settings
    info = SiteInfo(title=settings.portal.title, column=settings.portal.column, centre=settings.district.centre,
                    base_url=settings.portal.base_url, district=settings.district.name,
                    province=settings.district.province, address=settings.portal.address,
                    phone=settings.portal.phone, email=settings.portal.email)
    stories = [
        PortalStory(
            id=row.id, slug=row.slug or str(row.id), title=row.title, body_html=row.body_html or "",
            body_text=row.body_text or "", published_at=row.dated, author=row.author,
            source=_source_name(newsroom, row.source_id), link=row.link, movements=row.movements,
            communes=tuple(c for c in row.communes if c != DISTRICT), audio_source=row.audio_path or "",
            kind=row.kind,
        )
        for row in store.stories(*ON_AIR_OR_WEB)
    ]
    stories = with_credits(stories, store, newsroom)  # ingest: every source that sent it, villages named
    # Each station's latest bulletins, read from audio_out as they are now: the nightly run publishes after
    # synthesis, so the night's bulletins are there; `bantin publish` alone shows whatever was built last.
    stations, warnings = latest_bulletins(settings.audio.output, newsroom.stations, newsroom.communes)
    return Edition(info, stories, newsroom.movements, newsroom.communes, tuple(stations), tuple(warnings))


def with_credits(stories: list[PortalStory], store: Store, newsroom: Newsroom) -> list[PortalStory]:
    """Each story with every source that sent it (duplicates kept as one story) and the villages it names."""
    from dataclasses import replace

    from flows.portal.site import Credit

    from flows.portal.site import Media

    ids = [s.id for s in stories]
    credits, tags, attached = store.credits(ids), store.tags(ids), store.attachments(ids)
    return [replace(s, credits=tuple(Credit(_source_name(newsroom, c.source_id), c.link) for c in credits[s.id]),
                    villages=tuple(t.label for t in tags[s.id] if t.kind == "village"),
                    media=tuple(Media(a.kind, a.path, a.media_type, a.caption) for a in attached[s.id]))
            for s in stories]


@holding("publish")
def publish(newsroom: Newsroom, store: Store) -> PublishReport:
    """Bring the portal up to date and record what stands there, story by story."""
    settings = newsroom.settings
    publisher = make_publisher(settings.portal.publisher, settings.portal.output, settings.district.centre,
                               settings.portal.wordpress)
    current = edition(newsroom, store)
    result = publisher.publish(current, store.publications(publisher.name))
    where = f"cổng thông tin ({publisher.name})"
    newly = store.record_publications(publisher.name, result.placed, result.withdrawn, where)
    for story_id, reason in result.failed.items():  # the others went on; this one waits for the next run
        store.note(story_id, f"{where[:1].upper()}{where[1:]}: {reason}")
    return PublishReport(stories=len(current.stories), newly_published=newly, withdrawn=result.withdrawn,
                         pages_written=result.pages_written, pages_unchanged=result.pages_unchanged,
                         pages_removed=result.pages_removed, where=result.where, failed=result.failed,
                         warnings=[*current.warnings, *result.warnings])


def _source_name(newsroom: Newsroom, source_id: str) -> str:
    source = newsroom.find_source(source_id)
    if source is not None:
        return source.name
    # Emergency items come from the centre itself, not from a configured source.
    return newsroom.settings.district.centre if source_id == EMERGENCY_SOURCE else source_id
