"""What the year-end report counts, counted by the database: stories by month, unit, kind, movement and commune,
and the broadcasts of a period. Every count is a GROUP BY over columns (story_tags for movements and communes),
so SQLite and PostgreSQL give the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Integer, and_, case, cast, exists, extract, func, literal, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from flows.store.base import StoreBase, in_chunks
from flows.store.gathering import StoryTagRow
from flows.store.schema import BroadcastRow, PublicationRow, StoryEventRow, StoryRow

DIMENSIONS = ("month", "unit", "kind", "movement", "commune", "source")
NOT_COUNTED_KINDS = ("emergency",)  # the newsroom's own alerts are not propaganda on the movements


@dataclass(frozen=True)
class StoryCount:
    """Stories of a period under one key (a month "2023-06", a unit id, a movement id...)."""

    key: str
    received: int
    approved: int
    published: int
    aired: int


@dataclass(frozen=True)
class StoryLine:
    """One story of the period, for the lists (featured models and examples, the campaign)."""

    id: int
    title: str
    dated: date
    kind: str
    unit: str
    source_id: str
    link: str  # where the contributor published it
    portal_url: str  # where the portal shows it ("" when it never reached the portal)
    approved: bool
    published: bool
    aired: bool
    movements: tuple[str, ...]
    communes: tuple[str, ...]


@dataclass(frozen=True)
class BroadcastLine:
    """A story carried by one station's bulletin of one slot and day."""

    story_id: int
    station_id: str
    day: date
    slot_id: str
    bulletin_path: str
    kind: str
    unit: str


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return datetime.combine(first, time.min), datetime.combine(last + timedelta(days=1), time.min)


class ReportQueries(StoreBase):
    @staticmethod
    def _dated() -> ColumnElement:
        """A story's own date: from the feed, front matter or dateline, else the day it reached the newsroom."""
        return func.coalesce(StoryRow.published_at, StoryRow.submitted_at)

    def _period_stories(self, first: date, last: date):  # type: ignore[no-untyped-def]
        """Stories of the period (by their own date), one row each with what became of them."""
        start, end = _bounds(first, last)
        dated = self._dated()
        approved = exists().where(StoryEventRow.story_id == StoryRow.id, StoryEventRow.state == "approved")
        published = exists().where(PublicationRow.story_id == StoryRow.id)
        aired = exists().where(BroadcastRow.story_id == StoryRow.id)
        return (select(StoryRow.id.label("id"), StoryRow.unit.label("unit"), StoryRow.kind.label("kind"),
                       StoryRow.source_id.label("source_id"),
                       cast(extract("year", dated), Integer).label("year"),
                       cast(extract("month", dated), Integer).label("month"),
                       case((approved, 1), else_=0).label("approved"),
                       case((published, 1), else_=0).label("published"),
                       case((aired, 1), else_=0).label("aired"))
                .where(StoryRow.duplicate_of.is_(None), StoryRow.kind.not_in(NOT_COUNTED_KINDS),
                       dated >= start, dated < end)
                .subquery("period"))

    def story_counts(self, first: date, last: date, by: str | Sequence[str]) -> list[StoryCount]:
        """Stories dated in [first, last] grouped by one or more of DIMENSIONS (keys joined with "|");
        duplicates and alerts left out. A story with two movements (or about two communes) counts under each.
        """
        dims = (by,) if isinstance(by, str) else tuple(by)
        if not dims or any(d not in DIMENSIONS for d in dims) or len(set(dims)) != len(dims):
            raise ValueError(by)
        p = self._period_stories(first, last)
        tags = {dim: aliased(StoryTagRow, name=f"tag_{dim}") for dim in dims if dim in ("movement", "commune")}
        columns: list[Any] = []
        for dim in dims:
            if dim == "month":
                columns += [p.c.year, p.c.month]
            elif dim in tags:
                columns.append(tags[dim].value)
            else:
                columns.append({"unit": p.c.unit, "kind": p.c.kind, "source": p.c.source_id}[dim])
        measures = (func.count(), func.sum(p.c.approved), func.sum(p.c.published), func.sum(p.c.aired))
        q = select(*columns, *measures).select_from(p)
        for dim, tag in tags.items():
            q = q.join(tag, and_(tag.story_id == p.c.id, tag.kind == literal(dim)))
        q = q.group_by(*columns)
        out = []
        with self.session() as s:
            for row in s.execute(q):
                values, keys, i = list(row), [], 0
                for dim in dims:
                    if dim == "month":
                        keys.append(f"{int(values[i]):04d}-{int(values[i + 1]):02d}")
                        i += 2
                    else:
                        keys.append(str(values[i] or ""))
                        i += 1
                out.append(StoryCount("|".join(keys), *(int(n or 0) for n in values[i:])))
        return sorted(out, key=lambda c: c.key)

    def story_lines(self, first: date, last: date, *, kinds: Sequence[str] = (), movement: str | None = None,
                    portal: str | None = None) -> list[StoryLine]:
        """The stories of the period of these kinds (or tagged with this movement), oldest first."""
        p = self._period_stories(first, last)
        q = select(p.c.id).select_from(p)
        if kinds:
            q = q.where(p.c.kind.in_(list(kinds)))
        if movement is not None:
            q = q.join(StoryTagRow, and_(StoryTagRow.story_id == p.c.id, StoryTagRow.kind == "movement",
                                         StoryTagRow.value == movement))
        with self.session() as s:
            ids = list(s.scalars(q))
            if not ids:
                return []
            flags = {r.id: r for r in s.execute(select(p).where(p.c.id.in_(ids)))}
            tags: dict[int, dict[str, list[str]]] = {}
            for story_id, facet, value in s.execute(select(StoryTagRow.story_id, StoryTagRow.kind, StoryTagRow.value)
                                                    .where(StoryTagRow.story_id.in_(ids)).order_by(StoryTagRow.id)):
                tags.setdefault(story_id, {}).setdefault(facet, []).append(value)
            urls: dict[int, str] = {}
            pq = select(PublicationRow.story_id, PublicationRow.url, PublicationRow.destination).where(
                PublicationRow.story_id.in_(ids)).order_by(PublicationRow.id)
            for story_id, url, destination in s.execute(pq):
                if url and (story_id not in urls or destination == portal):
                    urls[story_id] = url
            lines = []
            for row in s.scalars(select(StoryRow).where(StoryRow.id.in_(ids))):
                f = flags[row.id]
                lines.append(StoryLine(
                    id=row.id, title=row.title, dated=(row.published_at or row.submitted_at).date(), kind=row.kind,
                    unit=row.unit or "", source_id=row.source_id, link=row.link or "", portal_url=urls.get(row.id, ""),
                    approved=bool(f.approved), published=bool(f.published), aired=bool(f.aired),
                    movements=tuple(tags.get(row.id, {}).get("movement", [])),
                    communes=tuple(tags.get(row.id, {}).get("commune", []))))
        return sorted(lines, key=lambda line: (line.dated, line.id))

    def broadcast_lines(self, first: date, last: date) -> list[BroadcastLine]:
        """Every story carried by a bulletin whose day is in [first, last]."""
        q = (select(BroadcastRow.story_id, BroadcastRow.station_id, BroadcastRow.day, BroadcastRow.slot_id,
                    BroadcastRow.bulletin_path, StoryRow.kind, StoryRow.unit)
             .join(StoryRow, StoryRow.id == BroadcastRow.story_id)
             .where(BroadcastRow.day >= first, BroadcastRow.day <= last)
             .order_by(BroadcastRow.day, BroadcastRow.station_id, BroadcastRow.slot_id, BroadcastRow.id))
        with self.session() as s:
            return [BroadcastLine(r[0], r[1], r[2], r[3], r[4], r[5] or "news", r[6] or "") for r in s.execute(q)]

    def tags_of(self, story_ids: Sequence[int]) -> dict[int, dict[str, tuple[str, ...]]]:
        """Movements and communes of these stories: {id: {"movement": (...), "commune": (...)}}."""
        out: dict[int, dict[str, list[str]]] = {}
        ids = list(dict.fromkeys(story_ids))
        with self.session() as s:
            for chunk in in_chunks(ids):
                for story_id, facet, value in s.execute(
                        select(StoryTagRow.story_id, StoryTagRow.kind, StoryTagRow.value)
                        .where(StoryTagRow.story_id.in_(chunk)).order_by(StoryTagRow.id)):
                    out.setdefault(story_id, {}).setdefault(facet, []).append(value)
        return {k: {f: tuple(v) for f, v in d.items()} for k, d in out.items()}
