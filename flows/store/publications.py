"""Publications: a story at one destination (static site, CMS) with its remote id, URL and content hash."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from flows.store.base import StoreBase, move, now
from flows.store.schema import PublicationRow, StoryRow
from flows.store.transitions import Action


@dataclass(frozen=True)
class Publication:
    story_id: int
    destination: str
    remote_id: str
    url: str
    content_hash: str


class PublicationQueries(StoreBase):
    def publications(self, destination: str) -> dict[int, Publication]:
        """What stands at a destination now (withdrawn ones left out), by story id."""
        with self.session() as s:
            rows = s.scalars(select(PublicationRow).where(PublicationRow.destination == destination,
                                                          PublicationRow.withdrawn_at.is_(None)))
            return {r.story_id: Publication(r.story_id, r.destination, r.remote_id, r.url, r.content_hash)
                    for r in rows}

    def record_publications(self, destination: str, placed: Iterable[Publication], withdrawn: Iterable[int],
                            where: str) -> list[int]:
        """Note what a publisher placed and withdrew; returns the stories published there for the first time."""
        newly: list[int] = []
        with self.session() as s:
            existing = {r.story_id: r for r in s.scalars(
                select(PublicationRow).where(PublicationRow.destination == destination))}
            for pub in placed:
                row = existing.get(pub.story_id)
                if row is None:
                    row = PublicationRow(story_id=pub.story_id, destination=destination, published_at=now())
                    s.add(row)
                    newly.append(pub.story_id)
                elif row.withdrawn_at is not None:
                    newly.append(pub.story_id)
                elif (row.remote_id, row.url, row.content_hash) == (pub.remote_id, pub.url, pub.content_hash):
                    continue
                row.remote_id, row.url, row.content_hash = pub.remote_id, pub.url, pub.content_hash
                row.updated_at, row.withdrawn_at = now(), None
            for story_id in withdrawn:
                row = existing.get(story_id)
                if row is not None and row.withdrawn_at is None:
                    row.withdrawn_at = now()
                    self._note_row(s, story_id, f"Gỡ khỏi {where}")
            for story_id in sorted(newly):  # stories locked in id order, like record_broadcast (no deadlock)
                story = s.get_one(StoryRow, story_id)
                if story.portal_published_at is None:
                    story.portal_published_at = now()
                move(s, story, Action.PUBLISH, f"Đăng lên {where}")
        return newly

    @staticmethod
    def _note_row(s, story_id: int, message: str) -> None:  # type: ignore[no-untyped-def]
        from flows.store.base import event_row

        row = s.get_one(StoryRow, story_id)
        event_row(s, story_id, row.state, message)
